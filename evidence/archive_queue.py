"""Asking for a case's archive: records the job and queues its task once the job is committed (apart from
evidence.archive, which the task calls, so that there is no circle between the task and this module)."""

from __future__ import annotations

from django.db import transaction

from accounts.access import sees_full_id_numbers
from accounts.models import User
from applications.models import Application
from daye_relief.errors import Forbidden

from .archive import archive_steps, may_archive
from .models import ArchiveJob
from .tasks import build_archive


def archive_job_create(*, application: Application, acting_user: User) -> ArchiveJob:
    if not may_archive(acting_user, application):
        raise Forbidden("只有案件所在镇的工作人员可以在案件备案后生成电子档案。")
    job = ArchiveJob.objects.create(
        owner=acting_user,
        application=application,
        full_ids=sees_full_id_numbers(acting_user),
        total=archive_steps(application),
    )
    transaction.on_commit(lambda: build_archive.delay(job.pk))
    return job
