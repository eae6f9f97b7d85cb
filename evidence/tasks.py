"""Celery tasks of the evidence: each takes an id, re-reads, calls the service, is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .archive import archive_job_run


@shared_task(acks_late=True)
def build_archive(job_id: int) -> str:
    """The archive PDF of a filed case, in the background; the job's page shows its progress."""
    return archive_job_run(job_id=job_id).status
