"""`python -m benchmarks`: the eligibility benchmark. See `--help`."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .generate import AS_OF
from .goals import assess, goals_report
from .measure import MIB, Measurement, report, stderr

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = Path("bench-results") / "eligibility.json"
DEFAULT_SETTINGS = "daye_relief.settings.test"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=(
            "Eligibility benchmark. (1) The pure engine on generated snapshots: evaluations per second of "
            "validate_snapshot (full schema) + evaluate, validate_snapshot(shape_checked=True) + evaluate, "
            "and evaluate alone, beside a plain Python per-capita-income loop. (2) The bulk re-evaluation "
            "(eligibility.services.reevaluation_execute) of generated enrolled households in a dedicated "
            "PostgreSQL database: wall time, peak memory and query count, beside one plain SQL aggregate "
            "of per-capita income over the same tables. Prints one line per figure on stdout and writes "
            "them, with the machine's details, as JSON."
        ),
        epilog=(
            "The bench database is dropped and created afresh (DROP DATABASE ... WITH (FORCE)), unless "
            "--keep-db finds it already filled with the same households; it is dropped at the end unless "
            "--keep-db. Progress goes to stderr. Example: make bench BENCH_ARGS='--households 20000'"
        ),
    )
    parser.add_argument(
        "--households",
        type=_positive,
        default=300_000,
        metavar="N",
        help="households to generate for the bulk re-evaluation (default: %(default)s)",
    )
    parser.add_argument(
        "--engine-snapshots",
        type=_positive,
        default=20_000,
        metavar="N",
        help="snapshots to generate for the engine benchmark (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="reuse the bench database when it already holds these households, and do not drop it at the end",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        help=f"where to write the figures as JSON (default: {DEFAULT_JSON} in the project root)",
    )
    parser.add_argument(
        "--seed", type=int, default=20260301, help="random seed of the generators (default: %(default)s)"
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=3,
        help="engine runs per measurement; the best is kept (default: %(default)s)",
    )
    parser.add_argument(
        "--chunk-size",
        type=_positive,
        default=2000,
        help="chunk_size passed to reevaluation_execute (default: %(default)s, the task's own)",
    )
    parser.add_argument(
        "--db-name", default="daye_bench", help="name of the bench database (default: %(default)s)"
    )
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        metavar="URL",
        help="PostgreSQL server, without a database name (default: $BENCH_POSTGRES_URL or %(default)s)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="PATH",
        help="run reevaluation_execute under cProfile and write the stats to PATH (and a text summary "
        "beside it); the bulk figures are then the profiled ones",
    )
    parser.add_argument(
        "--workers",
        default="1,2",
        metavar="N,N",
        help="the bulk re-evaluation through this many real Celery worker processes, each count in turn "
        "(comma-separated; 0 skips; default: %(default)s)",
    )
    parser.add_argument("--skip-engine", action="store_true", help="skip the engine benchmark")
    parser.add_argument("--skip-bulk", action="store_true", help="skip the PostgreSQL benchmark")
    parser.add_argument("--skip-print", action="store_true", help="skip the printed-forms benchmark")
    parser.add_argument(
        "--skip-evidence", action="store_true", help="skip the evidence files' upload and download benchmark"
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=1_000_000,
        metavar="N",
        help="rows of the medical_expense file for the import bench; 0 skips it (default: %(default)s)",
    )
    parser.add_argument(
        "--skip-lists",
        action="store_true",
        help="skip the lists at scale (gunicorn over the bench database under concurrent load, each page's "
        "p95 beside a trivial page's, and the household search's SQL)",
    )
    parser.add_argument(
        "--skip-reevaluation",
        action="store_true",
        help="load the bench database but skip the bulk re-evaluation and its SQL baseline",
    )
    parser.add_argument(
        "--cases", type=_positive, default=50_000, help="open cases for the lists (default: %(default)s)"
    )
    parser.add_argument(
        "--warnings",
        type=_positive,
        default=20_000,
        help="open warnings for the lists (default: %(default)s)",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive,
        default=4,
        help="concurrent clients for the lists (default: %(default)s)",
    )
    parser.add_argument(
        "--requests",
        type=_positive,
        default=40,
        help="requests per page for the lists (default: %(default)s)",
    )
    parser.add_argument(
        "--gunicorn-workers",
        type=_positive,
        default=2,
        help="gunicorn workers for the lists (default: %(default)s)",
    )
    parser.add_argument(
        "--port", type=int, default=8116, help="loopback port for the lists (default: %(default)s)"
    )
    return parser.parse_args(argv)


def _machine(server_version: str | None) -> dict[str, Any]:
    import django
    import psycopg

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(
                (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), ""
            )
    except OSError:
        model = platform.processor()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        memory = 0
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_bytes": memory,
        "platform": platform.platform(),
        "python_version": platform.python_version(),
        "django_version": django.get_version(),
        "psycopg_version": psycopg.__version__,
        "postgresql_version": server_version,
    }


def _bulk(args: argparse.Namespace, reuse: bool) -> tuple[list[Measurement], dict[str, Any]]:
    from . import bulk_bench, database

    if reuse:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        rows = database.stored_rows()
        generation: dict[str, Any] = {"reused": True, "rows": rows}
        stderr(f"bulk: reusing {args.db_name} ({rows})")
    else:
        stats = database.load(households=args.households, seed=args.seed)
        generation = {
            "reused": False,
            "migrate_seconds": stats.migrate_seconds,
            "generate_and_copy_seconds": stats.generate_and_copy_seconds,
            "vacuum_analyze_seconds": stats.vacuum_analyze_seconds,
            "rows": stats.rows,
        }
    from django.db import connections

    connections.close_all()  # the children open their own
    if args.skip_reevaluation:
        return [], {"generation": generation}
    base = bulk_bench.baseline_in_child()
    run = bulk_bench.reevaluation_in_child(chunk_size=args.chunk_size, profile=args.profile)
    n = args.households
    sql_name = "one SQL aggregate of per-capita income, fetched"
    profiled = " (under cProfile)" if args.profile else ""
    measurements = []
    if not reuse:
        measurements.append(
            Measurement(
                "bulk: generate + COPY households",
                generation["generate_and_copy_seconds"],
                "s",
                n=n,
                note=(
                    f"migrate {generation['migrate_seconds']:.1f}s and VACUUM ANALYZE "
                    f"{generation['vacuum_analyze_seconds']:.1f}s not included; no history rows"
                ),
            )
        )
    b, r = base.timing, run.timing
    measurements += [
        Measurement(
            "bulk: reevaluation_execute wall time" + profiled,
            r.wall_seconds,
            "s",
            b.wall_seconds,
            sql_name,
            n,
            note=f"chunk_size {args.chunk_size}; run {run.run_id} status {run.status}",
        ),
        Measurement(
            "bulk: households per second" + profiled,
            run.households_evaluated / r.wall_seconds,
            "households/s",
            base.households / b.wall_seconds,
            sql_name,
            n,
        ),
        Measurement("bulk: queries", r.queries, "queries", b.queries, sql_name, n),
        Measurement(
            "bulk: time inside SQL statements",
            r.sql_seconds,
            "s",
            b.sql_seconds,
            sql_name,
            n,
            note="summed execute() time incl. fetching rows to the client (psycopg client-side cursors)",
        ),
        Measurement(
            "bulk: peak RSS growth",
            r.rss_growth_bytes / MIB,
            "MiB",
            b.rss_growth_bytes / MIB,
            sql_name,
            n,
            note=(
                "each in a fresh child process after django.setup(); /proc/self/statm sampled every 20 ms, "
                "peak minus RSS at start; PostgreSQL's own memory not included; tracemalloc not used; "
                f"ru_maxrss of the child {r.max_rss_bytes / MIB:.0f} MiB, "
                f"of the baseline's child {b.max_rss_bytes / MIB:.0f} MiB"
            ),
        ),
        Measurement(
            "bulk: households evaluated", run.households_evaluated, "households", base.households, sql_name, n
        ),
        Measurement("bulk: proposals (categories change)", run.proposals_count, "households", n=n),
        Measurement("bulk: errors (cannot evaluate)", run.errors_count, "households", n=n),
    ]
    worker_results = []
    for count in [int(part) for part in args.workers.split(",") if int(part) > 0]:
        result = bulk_bench.reevaluation_with_workers(
            workers=count, reference_run_id=run.run_id, chunk_size=args.chunk_size
        )
        worker_results.append(result)
        measurements += [
            Measurement(
                f"bulk: Celery, {count} worker(s), wall time",
                result.wall_seconds,
                "s",
                b.wall_seconds,
                sql_name,
                n,
                note=(
                    f"{result.chunks} chunks of {args.chunk_size}; run {result.run_id} "
                    f"status {result.status}; one-process reevaluation_execute {r.wall_seconds:.1f}s"
                ),
            ),
            Measurement(
                f"bulk: Celery, {count} worker(s), proposals differing from the one-process run",
                result.differing_proposals,
                "proposals",
                n=n,
            ),
        ]
    details = {
        "workers": [vars(result) for result in worker_results],
        "generation": generation,
        "baseline": {"sql": bulk_bench.BASELINE_SQL.strip(), "households": base.households, **vars(b)},
        "reevaluation": {**{k: v for k, v in vars(run).items() if k != "timing"}, **vars(r)},
    }
    return measurements, details


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from . import database

    reuse = False
    server_version: str | None = None
    if not args.skip_bulk:
        # Django must see the bench database before it is set up.
        os.environ["DATABASE_URL"] = f"{args.server}/{args.db_name}"
        server_version = database.server_version(args.server)
        expected = database.fingerprint(args.households, args.seed)
        reuse = args.keep_db and database.database_holds(args.server, args.db_name, expected)
        if not reuse:
            stderr(f"bulk: creating database {args.db_name} afresh")
            database.recreate_database(args.server, args.db_name)

    import django

    django.setup()

    measurements: list[Measurement] = []
    details: dict[str, Any] = {}
    try:
        if not args.skip_engine:
            from . import engine_bench

            measurements += engine_bench.run(count=args.engine_snapshots, seed=args.seed, repeat=args.repeat)
        if not args.skip_print:
            from . import print_bench

            print_measurements, details["print"] = print_bench.run(repeat=args.repeat)
            measurements += print_measurements
        if not args.skip_evidence:
            from . import evidence_bench

            evidence_measurements, details["evidence"] = evidence_bench.run(
                repeat=args.repeat, seed=args.seed
            )
            measurements += evidence_measurements
        if not args.skip_bulk:
            bulk_measurements, bulk_details = _bulk(args, reuse)
            details.update(bulk_details)
            measurements += bulk_measurements
            if not args.skip_lists:
                from . import lists_bench

                seeded = lists_bench.seed_cases_and_warnings(cases=args.cases, warnings=args.warnings)
                stderr(f"lists: added {seeded}")
                list_measurements, details["lists"] = lists_bench.run(
                    port=args.port,
                    workers=args.gunicorn_workers,
                    concurrency=args.concurrency,
                    requests=args.requests,
                    database_url=os.environ["DATABASE_URL"],
                )
                details["lists"]["seeded"] = seeded
                measurements += list_measurements
            if args.import_rows:
                import tempfile

                from . import import_bench

                with tempfile.TemporaryDirectory() as workdir:
                    import_measurements, details["import"] = import_bench.measurements(
                        rows=args.import_rows, workdir=Path(workdir)
                    )
                measurements += import_measurements
    finally:
        if not args.skip_bulk:
            from django.db import connections

            connections.close_all()
            if not args.keep_db:
                database.drop_database(args.server, args.db_name)
                stderr(f"bulk: dropped database {args.db_name}")

    sys.stdout.write(report(measurements) + "\n")
    assessed = assess(measurements)
    sys.stdout.write(goals_report(assessed) + "\n")
    result = {
        "benchmark": "eligibility",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(server_version),
        "config": {
            "households": None if args.skip_bulk else args.households,
            "engine_snapshots": None if args.skip_engine else args.engine_snapshots,
            "seed": args.seed,
            "repeat": args.repeat,
            "chunk_size": args.chunk_size,
            "as_of": AS_OF.isoformat(),
            "database": None if args.skip_bulk else args.db_name,
            "settings": os.environ["DJANGO_SETTINGS_MODULE"],
            "profiled": bool(args.profile),
        },
        "measurements": [m.to_json() for m in measurements],
        "goals": assessed,
        **details,
        "total_seconds": time.perf_counter() - started,
    }
    path: Path = args.json or PROJECT_ROOT / DEFAULT_JSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stderr(f"figures written to {path} (total {time.perf_counter() - started:.0f}s)")
    return 0
