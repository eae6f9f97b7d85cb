from typing import Any

from celery import group, shared_task

from .models import ReevaluationRun
from .services import CHUNK_SIZE, reevaluation_chunk_execute, reevaluation_execute, reevaluation_prepare


@shared_task(bind=True, acks_late=True)
def reevaluate_enrolled_households(self: Any, run_id: int, chunk_size: int = CHUNK_SIZE) -> int:
    """Plans a run into chunks and hands those not yet done to the workers, one task each, which run
    them in parallel; the last chunk to commit marks the run done. Called directly (a shell, a test)
    instead of through a worker, it runs the whole run right here. Safe to run twice: a run another
    worker is alive on, or one already done, queues nothing. Returns the run's proposals so far."""
    if self.request.called_directly:
        return reevaluation_execute(run_id=run_id, chunk_size=chunk_size).proposals_count
    pending = reevaluation_prepare(run_id=run_id, chunk_size=chunk_size)
    if pending:
        group(reevaluate_chunk.si(run_id, index) for index in pending).apply_async()
    return ReevaluationRun.objects.filter(pk=run_id).values_list("proposals_count", flat=True).first() or 0


@shared_task(acks_late=True)
def reevaluate_chunk(run_id: int, index: int) -> bool:
    """One chunk of a run, keyed by run and index: committed once, whoever runs it and however often."""
    return reevaluation_chunk_execute(run_id=run_id, index=index)
