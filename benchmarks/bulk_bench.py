"""The bulk re-evaluation of every enrolled household on PostgreSQL, beside a plain SQL aggregate.

Each measurement runs in a fresh child process (`python -m benchmarks.bulk_bench baseline|reevaluation`),
so that its peak memory is its own: memory an earlier step freed but kept would hide growth, and memory
it left behind would inflate it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .generate import AS_OF
from .measure import MIB, MemoryWatch, QueryCounter, stderr

# Per-capita monthly income of every active, enrolled household: Σ incomes of its active members ÷ their
# number ÷ 12. The same tables and the same "enrolled on" test as eligibility.selectors.enrolled_households.
BASELINE_SQL = """
SELECT h.id, SUM(COALESCE(mi.total, 0)) / COUNT(*) / 12 AS per_capita_monthly_income
FROM households_household h
JOIN households_member m ON m.household_id = h.id AND m.is_active
LEFT JOIN (
    SELECT member_id, SUM(annual_amount) AS total FROM households_income GROUP BY member_id
) mi ON mi.member_id = m.id
WHERE h.is_active
  AND EXISTS (
    SELECT 1 FROM households_enrollment e
    WHERE e.household_id = h.id AND e.start_date <= %(on)s AND (e.end_date IS NULL OR e.end_date > %(on)s)
  )
GROUP BY h.id
ORDER BY h.id
"""


@dataclass(frozen=True)
class Timing:
    wall_seconds: float
    queries: int
    sql_seconds: float
    rss_growth_bytes: int
    max_rss_delta_bytes: int
    max_rss_bytes: int


@dataclass(frozen=True)
class BaselineResult:
    timing: Timing
    households: int


@dataclass(frozen=True)
class RunResult:
    timing: Timing
    run_id: int
    status: str
    households_evaluated: int
    proposals_count: int
    errors_count: int
    profile_path: str = ""


def _timing(wall: float, counter: QueryCounter, memory: MemoryWatch) -> Timing:
    return Timing(
        wall_seconds=wall,
        queries=counter.count,
        sql_seconds=counter.seconds,
        rss_growth_bytes=memory.growth,
        max_rss_delta_bytes=memory.max_rss_delta,
        max_rss_bytes=memory.end_max_rss,
    )


def baseline(*, on: date = AS_OF) -> BaselineResult:
    """One SQL aggregate, every row fetched into Python."""
    from django.db import connection

    connection.ensure_connection()
    counter, memory = QueryCounter(), MemoryWatch()
    with memory.watch(), connection.execute_wrapper(counter), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(BASELINE_SQL, {"on": on})
        rows = cursor.fetchall()
        wall = time.perf_counter() - started
    result = BaselineResult(_timing(wall, counter, memory), households=len(rows))
    stderr(
        f"baseline: {result.households:,} households in {wall:.2f}s, {counter.count} query, "
        f"RSS +{memory.growth / MIB:.1f} MiB"
    )
    del rows
    return result


def reevaluation(*, on: date = AS_OF, chunk_size: int = 2000, profile: Path | None = None) -> RunResult:
    """`reevaluation_execute` on a fresh run, as the Celery task would call it."""
    from django.db import connection

    from eligibility.models import ReevaluationRun
    from eligibility.services import reevaluation_execute

    run = ReevaluationRun.objects.create(as_of=on, reason="benchmark")
    counter, memory = QueryCounter(), MemoryWatch()
    profiler = cProfile.Profile() if profile else None
    stderr(f"bulk: reevaluation_execute(run_id={run.pk}, chunk_size={chunk_size}) started")
    with memory.watch(), connection.execute_wrapper(counter):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            run = reevaluation_execute(run_id=run.pk, chunk_size=chunk_size)
        finally:
            if profiler:
                profiler.disable()
        wall = time.perf_counter() - started
    if profiler and profile:
        profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(profile)
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("cumulative")
        stats.print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        profile.with_suffix(".txt").write_text(text.getvalue(), encoding="utf-8")
        stderr(f"bulk: profile written to {profile} and {profile.with_suffix('.txt')}")
    result = RunResult(
        timing=_timing(wall, counter, memory),
        run_id=run.pk,
        status=run.status,
        households_evaluated=run.households_evaluated,
        proposals_count=run.proposals_count,
        errors_count=run.errors_count,
        profile_path=str(profile or ""),
    )
    stderr(
        f"bulk: {run.status}: {run.households_evaluated:,} evaluated, {run.proposals_count:,} proposals, "
        f"{run.errors_count:,} errors in {wall:.1f}s; {counter.count:,} queries ({counter.seconds:.1f}s in "
        f"SQL); RSS +{memory.growth / MIB:.1f} MiB"
    )
    return result


@dataclass(frozen=True)
class WorkersResult:
    workers: int
    wall_seconds: float
    run_id: int
    status: str
    households_evaluated: int
    proposals_count: int
    errors_count: int
    chunks: int
    differing_proposals: int  # against the one-process run: must be 0


PROPOSAL_FIELDS = (
    "household_id, bureau, current_categories::text, proposed_categories::text, "
    "per_capita_monthly_income, error"
)


def differing_proposals(run_id: int, reference_run_id: int) -> int:
    """Proposals found by one run and not the other (both ways), field by field."""
    from django.db import connection

    query = f"""
        SELECT count(*) FROM (
            (SELECT {PROPOSAL_FIELDS} FROM eligibility_reevaluationproposal WHERE run_id = %(a)s
             EXCEPT SELECT {PROPOSAL_FIELDS} FROM eligibility_reevaluationproposal WHERE run_id = %(b)s)
            UNION ALL
            (SELECT {PROPOSAL_FIELDS} FROM eligibility_reevaluationproposal WHERE run_id = %(b)s
             EXCEPT SELECT {PROPOSAL_FIELDS} FROM eligibility_reevaluationproposal WHERE run_id = %(a)s)
        ) AS differing
    """  # noqa: S608  (constant column list)
    with connection.cursor() as cursor:
        cursor.execute(query, {"a": run_id, "b": reference_run_id})
        row = cursor.fetchone()
    return int(row[0]) if row else -1


def reevaluation_with_workers(
    *, workers: int, reference_run_id: int, on: date = AS_OF, chunk_size: int = 2000, timeout: float = 3600
) -> WorkersResult:
    """The Celery path: `workers` real `celery worker` processes (solo pool, one core each) on the Redis
    broker; the planning task is sent and the clock runs until the last chunk marks the run done."""
    import tempfile

    from django.db import connection

    from daye_relief.celery import app
    from eligibility.models import ReevaluationRun
    from eligibility.tasks import reevaluate_enrolled_households

    from .workers import database_url
    from .workers import workers as worker_processes

    app.control.purge()
    with (
        tempfile.TemporaryDirectory() as logs,
        worker_processes(workers, database=database_url(connection.settings_dict), log_dir=Path(logs)),
    ):
        run = ReevaluationRun.objects.create(as_of=on, reason=f"benchmark, {workers} workers")
        stderr(f"bulk: {workers} worker(s): run {run.pk} sent (chunk_size {chunk_size})")
        started = time.perf_counter()
        reevaluate_enrolled_households.delay(run.pk, chunk_size)
        while time.perf_counter() - started < timeout:
            run.refresh_from_db()
            if run.status in (ReevaluationRun.Status.DONE, ReevaluationRun.Status.FAILED):
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
    result = WorkersResult(
        workers=workers,
        wall_seconds=wall,
        run_id=run.pk,
        status=run.status,
        households_evaluated=run.households_evaluated,
        proposals_count=run.proposals_count,
        errors_count=run.errors_count,
        chunks=run.chunks_total,
        differing_proposals=differing_proposals(run.pk, reference_run_id),
    )
    stderr(
        f"bulk: {workers} worker(s): {run.status}: {run.households_evaluated:,} evaluated, "
        f"{run.proposals_count:,} proposals in {wall:.1f}s; {result.differing_proposals} proposals differ "
        "from the one-process run"
    )
    return result


# --- one measurement per child process ----------------------------------------------------------------


def in_child(
    which: str, *, chunk_size: int = 2000, profile: Path | None = None, prefilter: bool = True
) -> dict[str, Any]:
    """Runs `baseline` or `reevaluation` in a fresh Python process (same environment, so the same
    settings and DATABASE_URL) and returns its result as JSON data; its progress goes to our stderr."""
    command = [sys.executable, "-m", "benchmarks.bulk_bench", which, "--chunk-size", str(chunk_size)]
    if profile:
        command += ["--profile", str(profile)]
    if not prefilter:
        command += ["--no-prefilter"]
    done = subprocess.run(  # noqa: S603  (our own interpreter and module, no shell)
        command, stdout=subprocess.PIPE, check=True, env=os.environ.copy(), text=True
    )
    return dict(json.loads(done.stdout))


def baseline_in_child() -> BaselineResult:
    data = in_child("baseline")
    return BaselineResult(timing=Timing(**data.pop("timing")), **data)


def reevaluation_in_child(*, chunk_size: int, profile: Path | None, prefilter: bool = True) -> RunResult:
    data = in_child("reevaluation", chunk_size=chunk_size, profile=profile, prefilter=prefilter)
    return RunResult(timing=Timing(**data.pop("timing")), **data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bulk_bench",
        description="One bulk measurement, as JSON on stdout (run by `python -m benchmarks`).",
    )
    parser.add_argument("which", choices=("baseline", "reevaluation"))
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--profile", type=Path)
    parser.add_argument(
        "--no-prefilter", action="store_true", help="the engine evaluates every household (the reference run)"
    )
    args = parser.parse_args(argv)

    import django
    from django.conf import settings

    django.setup()
    if args.no_prefilter:
        settings.REEVALUATION_PREFILTER = False
    result: BaselineResult | RunResult
    if args.which == "baseline":
        result = baseline()
    else:
        result = reevaluation(chunk_size=args.chunk_size, profile=args.profile)
    sys.stdout.write(json.dumps(asdict(result)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
