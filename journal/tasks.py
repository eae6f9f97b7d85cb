from __future__ import annotations

from celery import shared_task

from .archive import archive_old_rows
from .chain import verify_and_alert


@shared_task
def verify_journal() -> dict[str, int]:
    result = verify_and_alert()
    return {"checked": result.checked, "broken": len(result.broken)}


@shared_task
def archive_journal() -> int:
    archive = archive_old_rows()
    return archive.count if archive is not None else 0
