"""Celery tasks of the desk: each takes an id, re-reads, calls the service, is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .exports import export_job_run
from .retention import exports_expired_delete


@shared_task(acks_late=True)
def run_export(job_id: int) -> str:
    """A large list export, in the background; the job's page polls its progress."""
    return export_job_run(job_id=job_id).status


@shared_task
def delete_expired_exports() -> int:
    """Daily: list exports older than the retention period are deleted, file and row."""
    return exports_expired_delete()
