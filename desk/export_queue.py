"""Asking for a large export (DESIGN §3.10): records the job and queues its task once the job is
committed. Apart from desk.exports, which the task calls, so that the task imports that module and this
one imports the task, with no circle between them."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict

from accounts.models import User
from daye_relief.errors import DomainError

from .exports import export_count, export_for, params_dict
from .models import ExportJob
from .tasks import run_export


def export_job_create(*, list_key: str, params: QueryDict, acting_user: User) -> ExportJob:
    """Queues a large export for its owner; the task starts once the job is committed."""
    export = export_for(acting_user, list_key)
    if export is None:
        raise DomainError("您不能导出这个清单。", code="export_forbidden")
    job = ExportJob.objects.create(
        owner=acting_user,
        list_key=list_key,
        params=params_dict(params),
        total=export_count(export=export, user=acting_user, params=params),
    )
    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job
