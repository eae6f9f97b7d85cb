from celery import shared_task

from .services import reevaluation_execute


@shared_task(acks_late=True)
def reevaluate_enrolled_households(run_id: int) -> int:
    """Takes a run id, re-reads it, and is safe to run twice (see reevaluation_execute)."""
    return reevaluation_execute(run_id=run_id).proposals_count
