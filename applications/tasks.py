from celery import shared_task
from django.utils import timezone

from .services import deadline_flags_refresh


@shared_task(acks_late=True)
def refresh_deadline_flags() -> dict[str, int]:
    """Daily (Celery beat): marks cases due soon and overdue. Safe to run twice."""
    return deadline_flags_refresh(today=timezone.localdate())
