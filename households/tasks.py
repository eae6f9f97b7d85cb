from celery import shared_task
from django.utils import timezone

from accounts.system import system_user

from .services.enrollments import gradual_exits_end_due


@shared_task(acks_late=True)
def end_due_gradual_exits() -> int:
    """Daily (Celery beat, 05:30): ends the gradual exits whose last day has passed. Safe to run twice."""
    return gradual_exits_end_due(today=timezone.localdate(), acting_user=system_user())
