"""The shared-data import on PostgreSQL (issue 10): a generated `medical_expense` CSV in GBK through
`monitoring.services.imports.dataset_import_now` (stream, check, COPY to staging, match against the pool,
insert, warn), beside a raw `COPY ... FROM STDIN` of the same file into an unlogged table. Each
measurement runs in a fresh child process (`python -m benchmarks.import_bench copy|import FILE`) so that
its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from .measure import MIB, MemoryWatch, stderr

PERIOD = "2026-01"
POOL_SHARE = 0.5  # half the rows name a member of a pool household, half someone the pool does not hold


def generate(path: Path, *, rows: int, seed: int = 20260101) -> int:
    """Writes the CSV (GBK, Chinese headers) and returns the rows written. Needs Django set up."""
    from households.idnumbers import make
    from households.models import Member
    from monitoring.selectors.pool import pool_households

    members = list(
        Member.objects.filter(is_active=True, household__in=pool_households(on=date.today()).values("pk"))  # noqa: DTZ011
        .order_by("pk")
        .values_list("id_number", "name")[:2_000_000]
    )
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    with path.open("w", encoding="gbk", newline="") as out:
        out.write("身份证号,姓名,结算日期,总费用,政策范围内个人自付\n")
        for _ in range(rows):
            if members and rng.random() < POOL_SHARE:
                number, name = members[rng.randrange(len(members))]
            else:
                number = make(
                    f"4202{rng.randint(0, 99):02d}",  # someone outside the pool
                    date(rng.randint(1940, 2010), rng.randint(1, 12), rng.randint(1, 28)),
                    rng.randint(0, 999),
                )
                name = "张三"
            total = rng.randint(100, 2_000_000) / 100
            settled = f"2026-01-{rng.randint(1, 31):02d}"
            out.write(f"{number},{name},{settled},{total:.2f},{total * rng.random() * 0.4:.2f}\n")
    return rows


# The file's columns, and where they land in a table shaped like the stored rows' (self_paid, the one
# column that table has no place for, goes to its other amount column).
SHAPED_COLUMNS = "id_number, name, row_date, amount_key, assistance_amount"


def raw_copy(path: Path, *, shaped: bool = False) -> dict[str, Any]:
    """COPY of the file into an unlogged table without indexes, or (`shaped`) into a logged table made
    LIKE monitoring_sharedrow with all its indexes and constraints, the columns the file lacks filled by
    defaults: where an import's rows have to land anyway."""
    from django.db import connection

    from monitoring.models import SharedRow

    memory = MemoryWatch()
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_medical")
        if shaped:
            cursor.execute(f"CREATE TABLE bench_raw_medical (LIKE {SharedRow._meta.db_table} INCLUDING ALL)")
            cursor.execute("CREATE TEMP SEQUENCE bench_raw_row_number")
            cursor.execute(
                "ALTER TABLE bench_raw_medical ALTER dataset_import_id SET DEFAULT 0, "
                "ALTER dataset SET DEFAULT 'medical_expense', "
                f"ALTER period SET DEFAULT '{PERIOD}', "
                "ALTER row_number SET DEFAULT nextval('bench_raw_row_number') + 1, "
                "ALTER data SET DEFAULT '{}', ALTER household_id SET DEFAULT 0, "
                "ALTER member_id SET DEFAULT 0, ALTER name_mismatch SET DEFAULT false"
            )
            columns = f"({SHAPED_COLUMNS})"
        else:
            cursor.execute(
                "CREATE UNLOGGED TABLE bench_raw_medical (id_number text, name text, settled_on date, "
                "total_cost numeric(14, 2), self_paid numeric(14, 2))"
            )
            columns = ""
        raw.commit()
        with memory.watch():
            started = time.perf_counter()
            with (
                cursor.copy(
                    f"COPY bench_raw_medical {columns} "
                    "FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'GBK')"
                ) as copy,
                path.open("rb") as source,
            ):
                for block in iter(lambda: source.read(1 << 20), b""):
                    copy.write(block)
            raw.commit()
            wall = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_raw_medical")
        (count,) = cursor.fetchone() or (0,)
        cursor.execute("DROP TABLE bench_raw_medical")
        raw.commit()
    where = "a table shaped like the stored rows'" if shaped else "an unlogged table"
    stderr(f"import: raw COPY of {count:,} rows into {where} in {wall:.1f}s")
    return {"rows": count, "wall_seconds": wall, "rss_growth_bytes": memory.growth}


def clean() -> dict[str, Any]:
    """Deletes the last run's rows, warnings and imports (a kept database), then vacuums: their dead heap
    tuples and index entries would slow the insert and the medical_burden rule (77 s instead of 47 s for
    1,000,000 rows). Run in its own child process by `measurements`, since the ORM's cascade holds the
    deleted rows in memory and would set the import child's peak RSS."""
    from django.db import connection

    from monitoring.models import DatasetImport, SharedRow, Warning

    deleted = SharedRow.objects.filter(dataset="medical_expense").delete()[0]
    Warning.objects.filter(type="medical_burden").delete()
    DatasetImport.objects.filter(dataset="medical_expense").delete()
    with connection.cursor() as cursor:
        for model in (SharedRow, Warning):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return {"deleted": deleted}


def full_import(path: Path) -> dict[str, Any]:
    from accounts.models import OrgUnit
    from monitoring.services.imports import dataset_import_now

    department, _ = OrgUnit.objects.get_or_create(
        code="YBJ", defaults={"name": "市医保局", "kind": "department"}
    )
    clean()
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("monitoring.services.imports").setLevel(logging.INFO)  # the phases, on stderr
    memory = MemoryWatch()
    with memory.watch(), path.open("rb") as binary:
        started = time.perf_counter()
        report = dataset_import_now(
            dataset_key="medical_expense",
            period=PERIOD,
            binary=binary,
            file_name=path.name,
            department=department,
        ).report()
        wall = time.perf_counter() - started
    stderr(
        f"import: {report['rows']:,} rows ({report['matched']:,} matched, {report['unmatched']:,} unmatched, "
        f"{len(report['rejected']):,} rejected, {report['warnings_created']:,} warnings) in {wall:.1f}s; "
        f"RSS +{memory.growth / MIB:.1f} MiB"
    )
    report.pop("rejected")
    report.pop("name_mismatches")
    return {
        **report,
        "wall_seconds": wall,
        "rss_growth_bytes": memory.growth,
        "max_rss_bytes": memory.end_max_rss,
    }


def measurements(*, rows: int, workdir: Path) -> tuple[list[Any], dict[str, Any]]:
    """Generates the file, then raw COPY and the full import, each in its own child process."""
    from .measure import Measurement

    path = workdir / "medical_expense.csv"
    stderr(f"import: generating {rows:,} rows of medical_expense (GBK)")
    generate(path, rows=rows)
    size = path.stat().st_size
    in_child("clean", path)
    copy = in_child("copy", path)
    shaped = in_child("copy-shaped", path)
    full = in_child("import", path)
    copy_rate = copy["rows"] / copy["wall_seconds"]
    shaped_rate = shaped["rows"] / shaped["wall_seconds"]
    rate = full["rows"] / full["wall_seconds"]
    found = [
        Measurement("import: raw COPY into an unlogged table", copy_rate, "rows/s", n=copy["rows"]),
        Measurement(
            "import: raw COPY into a table shaped like monitoring_sharedrow",
            shaped_rate,
            "rows/s",
            copy_rate,
            "raw COPY",
            n=shaped["rows"],
            note="logged, with the stored rows' indexes and constraints; every row of the file",
        ),
        Measurement(
            "import: dataset_import_now (check, match, store, warn)",
            rate,
            "rows/s",
            copy_rate,
            "raw COPY",
            n=full["rows"],
            note="goal: at least 40% of raw COPY",
        ),
        Measurement(
            "import: dataset_import_now beside the shaped COPY",
            rate,
            "rows/s",
            shaped_rate,
            "shaped COPY",
            n=full["rows"],
        ),
        Measurement(
            "import: wall time", full["wall_seconds"], "s", copy["wall_seconds"], "raw COPY", n=full["rows"]
        ),
        Measurement(
            "import: peak RSS growth",
            full["rss_growth_bytes"] / MIB,
            "MiB",
            n=full["rows"],
            note="goal: < 500 MB",
        ),
        Measurement("import: rows matched to the pool", full["matched"], "rows", n=full["rows"]),
        Measurement("import: warnings raised", full["warnings_created"], "warnings", n=full["rows"]),
    ]
    return found, {"file_bytes": size, "copy": copy, "shaped_copy": shaped, "import": full}


def in_child(which: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603  (our own interpreter and module, no shell)
        [sys.executable, "-m", "benchmarks.import_bench", which, str(path)],
        stdout=subprocess.PIPE,
        check=True,
        env=os.environ.copy(),
        text=True,
    )
    return dict(json.loads(done.stdout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_bench")
    parser.add_argument("which", choices=("generate", "clean", "copy", "copy-shaped", "import"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    import django

    django.setup()
    if args.which == "generate":
        result: dict[str, Any] = {"rows": generate(args.file, rows=args.rows)}
    elif args.which == "clean":
        result = clean()
    elif args.which == "copy":
        result = raw_copy(args.file)
    elif args.which == "copy-shaped":
        result = raw_copy(args.file, shaped=True)
    else:
        result = full_import(args.file)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
