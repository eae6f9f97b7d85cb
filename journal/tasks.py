from __future__ import annotations

from celery import shared_task

from .chain import verify_and_alert


@shared_task
def verify_journal() -> dict[str, int]:
    result = verify_and_alert()
    return {"checked": result.checked, "broken": len(result.broken)}
