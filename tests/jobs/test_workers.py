"""Jobs through real Celery workers on Redis (issue 9 point 9, issue 12 point 2): a bulk re-evaluation whose
chunks two workers share; a worker killed with SIGKILL in the middle of a chunk's commit, then the run
restarted, gives exactly the proposals and counters of one clean run; a daily job sent twice acts once."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest
from celery import group
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from benchmarks.workers import database_url
from eligibility import runs, services
from eligibility.models import ReevaluationChunk, ReevaluationProposal, ReevaluationRun
from eligibility.tasks import reevaluate_chunk, reevaluate_enrolled_households
from households.models import Enrollment
from households.services.enrollments import enrollment_start, gradual_exit_grant
from households.tasks import end_due_gradual_exits

from ..eligibility.test_reevaluation import household_with_income
from .conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
AS_OF = date(2026, 3, 1)  # the 2025 defaults: 低保 600 a month, monitoring 7800 a year


@pytest.fixture
def caseload(world):
    """24 enrolled households across the three villages, from far below to far above the lines, and one
    whose applicant is missing (an error proposal)."""
    villages = [world.village_a1, world.village_a2, world.village_b1]
    households = [
        household_with_income(
            villages[n % 3], str(3000 + 450 * n), categories=["dibao"] if n % 2 else ["dibao", "monitoring"]
        )
        for n in range(23)
    ]
    households.append(
        household_with_income(world.village_b1, "3000", categories=["dibao"], relation="spouse")
    )
    return households


def _rows(run):
    return sorted(
        (
            p.household_id,
            p.bureau,
            tuple(p.current_categories),
            tuple(p.proposed_categories),
            p.per_capita_monthly_income,
            p.error,
        )
        for p in ReevaluationProposal.objects.filter(run=run)
    )


def _counters(run):
    run.refresh_from_db()
    return (run.status, run.households_evaluated, run.proposals_count, run.errors_count)


def _a_session_waits_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] == 1


def _done(run_id):
    return ReevaluationRun.objects.filter(pk=run_id, status="done").exists()


def test_two_real_workers_share_the_chunks_of_a_run(world, caseload, start_worker):
    clean = services.reevaluation_execute(run_id=ReevaluationRun.objects.create(as_of=AS_OF).pk)
    assert _counters(clean) == ("done", 24, clean.proposals_count, 1)
    assert clean.proposals_count > 5  # the caseload moves: the comparison below means something

    first, second = start_worker(), start_worker()
    run = ReevaluationRun.objects.create(as_of=AS_OF, reason="两个进程并行")
    reevaluate_enrolled_households.delay(run.pk, 3)
    wait_until(lambda: _done(run.pk), what="the run done")

    assert _counters(run) == _counters(clean)
    assert _rows(run) == _rows(clean)
    assert run.chunks_total == 8
    assert ReevaluationChunk.objects.filter(run=run, done=True).count() == 8
    ran = [len(re.findall(r"reevaluate_chunk\[[^\]]+\] succeeded", w.log())) for w in (first, second)]
    assert sum(ran) == 8
    assert all(ran), f"each worker ran chunks: {ran}"


def test_a_worker_killed_in_a_chunk_then_a_restart_gives_the_clean_result(
    client, world, caseload, start_worker
):
    clean = services.reevaluation_execute(run_id=ReevaluationRun.objects.create(as_of=AS_OF).pk)
    run = ReevaluationRun.objects.create(as_of=AS_OF, reason="中断测试")
    # What the planning task does, here, so that a chunk's row exists to hold before the workers start.
    pending = services.reevaluation_prepare(run_id=run.pk, chunk_size=3)
    assert pending == list(range(8))

    victim = start_worker()
    with psycopg.connect(database_url(connection.settings_dict)) as other:
        # Another session holds chunk 3: the worker commits chunks 0–2, then waits inside chunk 3's commit.
        other.execute(
            "SELECT 1 FROM eligibility_reevaluationchunk WHERE run_id = %s AND index = 3 FOR UPDATE", [run.pk]
        )
        group(reevaluate_chunk.si(run.pk, index) for index in pending).apply_async()
        wait_until(
            lambda: ReevaluationChunk.objects.filter(run=run, done=True).count() == 3,
            what="chunks 0-2 committed",
        )
        wait_until(_a_session_waits_for_a_lock, what="the worker waiting in chunk 3's commit")
        victim.kill()
        other.rollback()
    assert victim.process.returncode == -9
    # Half-way: three chunks' proposals and counters, nothing of chunk 3, still "running".
    assert set(ReevaluationChunk.objects.filter(run=run, done=True).values_list("index", flat=True)) == {
        0,
        1,
        2,
    }
    assert _counters(run) == ("running", 9, run.proposals_count, run.errors_count)
    assert ReevaluationProposal.objects.filter(run=run).count() < len(_rows(clean))

    client.force_login(world.users["civil_affairs_reviewer"])
    url = reverse("eligibility:reevaluation", args=[run.pk])
    assert "9 户在册家庭（分 8 段并行测算，已完成 3 段）" in client.get(url).content.decode()

    # Ten minutes without progress: shown as interrupted; the reviewer restarts it; another worker ends it,
    # while the killed worker's queued chunks 4–7 also reach it (each is committed once).
    ReevaluationRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=11))
    runs.reevaluation_restart(run=run, acting_user=world.users["civil_affairs_reviewer"])
    start_worker()
    wait_until(lambda: _done(run.pk), what="the restarted run done")
    assert _counters(run) == _counters(clean)
    assert _rows(run) == _rows(clean)
    assert run.restarts == 1
    assert "24 户在册家庭（分 8 段并行测算，已完成 8 段）" in client.get(url).content.decode()


def test_the_daily_gradual_exit_job_sent_twice_ends_once(world, start_worker):
    clerk = world.users["town_clerk"]
    today = timezone.localdate()
    dibao = enrollment_start(
        household=world.household_a1,
        category="dibao",
        start=today - timedelta(days=400),
        monthly_amount=Decimal("430.00"),
        acting_user=clerk,
    )
    gradual_exit_grant(
        enrollment=dibao,
        decided_on=today - timedelta(days=100),
        months=0,
        income_from_work_or_business=True,
        acting_user=clerk,
    )
    worker = start_worker()
    end_due_gradual_exits.delay()
    end_due_gradual_exits.delay()
    wait_until(
        lambda: len(re.findall(r"end_due_gradual_exits\[[^\]]+\] succeeded", worker.log())) == 2,
        what="both deliveries run",
    )
    assert re.findall(r"end_due_gradual_exits\[[^\]]+\] succeeded in [0-9.]+s: (\d+)", worker.log()) == [
        "1",
        "0",
    ]
    dibao = Enrollment.objects.get(pk=dibao.pk)
    assert (dibao.end_reason, dibao.end_date) == (
        "gradual_exit_ended",
        dibao.gradual_exit_until + timedelta(days=1),
    )
    ended = [row for row in dibao.history.order_by("history_date") if row.end_date is not None]
    assert len(ended) == 1
    assert ended[0].history_user.username == "system"


def test_beat_on_the_database_scheduler_sends_due_jobs_registered_or_not(world, start_worker):
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="测试：每秒渐退期", task="households.tasks.end_due_gradual_exits", interval=every_second
    )
    PeriodicTask.objects.create(
        name="测试：尚未注册的任务", task="monitoring.tasks.not_written_yet", interval=every_second
    )
    worker = start_worker()
    beat = start_worker.beat()
    wait_until(
        lambda: len(re.findall(r"end_due_gradual_exits\[[^\]]+\] succeeded", worker.log())) >= 2,
        what="beat's job run twice by the worker",
    )
    wait_until(
        lambda: beat.log().count("Sending due task 测试：尚未注册的任务") >= 2,
        what="the unregistered job sent twice",
    )
    assert beat.process.poll() is None  # beat carries on
    assert "monitoring.tasks.not_written_yet" in worker.log()  # dropped by the worker, with a log line
    assert worker.process.poll() is None
