"""Starting and restarting a bulk re-evaluation (DESIGN §3.3): each records the run and queues the
worker's task once the transaction commits. The run's own work, which the task calls, is in
eligibility.services; this module is apart from it so that the tasks import the services and this
module imports the tasks, with no circle between them."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction

from accounts.models import User

from .errors import RunNotRestartable
from .models import ReevaluationRun
from .tasks import reevaluate_enrolled_households

logger = logging.getLogger(__name__)


def reevaluation_start(*, as_of: date, acting_user: User, reason: str = "") -> ReevaluationRun:
    """Records a run and queues it once the transaction commits."""
    run = ReevaluationRun.objects.create(as_of=as_of, reason=reason, created_by=acting_user)
    _queue(run.pk)
    return run


def _queue(run_id: int) -> None:
    transaction.on_commit(lambda: reevaluate_enrolled_households.delay(run_id))


@transaction.atomic
def reevaluation_restart(*, run: ReevaluationRun, acting_user: User) -> ReevaluationRun:
    """Queues again a run that failed or whose worker died (no progress for STALE_AFTER); it resumes
    after the last household it committed. A finished run, or one still making progress, is refused."""
    locked = ReevaluationRun.objects.select_for_update().get(pk=run.pk)
    if not locked.can_restart:
        if locked.status == ReevaluationRun.Status.DONE:
            raise RunNotRestartable("该批量测算已完成，无需重新启动。")
        raise RunNotRestartable("该批量测算仍在进行或排队中，请稍后刷新页面查看进度。")
    locked.status = ReevaluationRun.Status.QUEUED
    locked.error = ""
    locked.restarts += 1
    locked.save(update_fields=["status", "error", "restarts"])
    logger.info("re-evaluation run %s restarted by %s", locked.pk, acting_user)
    _queue(locked.pk)
    return locked
