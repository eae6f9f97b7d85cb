"""A department's file from the upload page (DESIGN §3.6): registered, then queued for a worker once it is
committed. Apart from monitoring.services.imports, which the worker's task calls, so that the task
imports that module and this one imports the task, with no circle between them."""

from __future__ import annotations

from typing import IO

from django.db import transaction

from accounts.models import OrgUnit, User

from ..glossary import ImportChannel, ImportStatus
from ..tasks import run_import
from .imports import ImportOutcome, dataset_import_register


def dataset_upload_receive(
    *,
    dataset_key: str,
    period: str,
    binary: IO[bytes],
    file_name: str,
    department: OrgUnit,
    acting_user: User,
) -> ImportOutcome:
    """The file is registered with its bytes kept for the worker and queued. A file already imported
    answers with that import and queues nothing; one whose earlier import did not finish is queued
    again (the import is safe to run twice)."""
    outcome = dataset_import_register(
        dataset_key=dataset_key,
        period=period,
        binary=binary,
        file_name=file_name,
        department=department,
        channel=ImportChannel.UPLOAD,
        acting_user=acting_user,
        keep_file=True,
    )
    record = outcome.dataset_import
    if outcome.duplicate_of is None or record.status != ImportStatus.DONE:
        transaction.on_commit(lambda: run_import.delay(record.pk))
    return outcome
