"""The benchmark's own PostgreSQL database: created fresh, migrated, filled with COPY, dropped at the end.

Generated rows go straight into the real tables with COPY and explicit ids (the identity sequences are
moved past them afterwards), except enrollments, which only their service writes: its bulk variant
(households.services.enrollments.enrollments_bulk_start) checks and inserts them after each batch's
households.
django-simple-history's tables get no rows for them: history is not part of what the re-evaluation reads,
so it is not part of this measurement.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import psycopg
from psycopg import sql

from .generate import HouseholdGenerator, HouseholdSpec, OrgUnitSpec, org_tree, villages
from .measure import stderr

# Bumped whenever the generator's output changes, so that --keep-db never reuses other data.
GENERATOR_VERSION = "2"
META_TABLE = "bench_meta"
CREATED_AT = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
# Households whose applicant has left while the others stay: the run must report them as errors.
BROKEN_RATE = 0.002
# Households enrolled in exactly what the engine finds for them (the rest drift: proposals).
SETTLED_RATE = 0.9

HOUSEHOLD_COLUMNS = (
    "id",
    "household_number",
    "village_id",
    "hukou_type",
    "address",
    "phone",
    "is_active",
    "note",
    "created_at",
    "updated_at",
)
MEMBER_COLUMNS = (
    "id",
    "household_id",
    "name",
    "id_number",
    "birth_date",
    "sex",
    "relation",
    "lives_together",
    "shares_finances",
    "marital_status",
    "full_time_student",
    "education_level",
    "disability_grade",
    "disability_type",
    "serious_illness",
    "labor_capacity",
    "imprisoned",
    "full_civil_capacity",
    "phone",
    "is_active",
    # Minors' absent parents (DESIGN §3.2 特困): the generated families' parents can support them.
    "parents_status",
    "parents_evidence",
)
INCOME_COLUMNS = ("id", "member_id", "kind", "annual_amount", "note")
ASSET_COLUMNS = ("id", "household_id", "kind", "value", "note")
EXPENSE_COLUMNS = ("id", "household_id", "kind", "annual_amount", "note")
SUPPORTER_COLUMNS = ("id", "household_id", "supports_id", "name", "relation", "able_to_support", "note")


def fingerprint(households: int, seed: int) -> str:
    return f"households={households};seed={seed};generator={GENERATOR_VERSION}"


# --- the database itself (plain psycopg, before Django is set up) -------------------------------------


def _admin(server_url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(f"{server_url}/postgres", autocommit=True)


def database_exists(server_url: str, name: str) -> bool:
    with _admin(server_url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def database_holds(server_url: str, name: str, expected: str) -> bool:
    """Whether the database exists and was filled by this generator with these settings."""
    if not database_exists(server_url, name):
        return False
    with psycopg.connect(f"{server_url}/{name}", autocommit=True) as conn:
        if conn.execute("SELECT to_regclass(%s)", [META_TABLE]).fetchone() in (None, (None,)):
            return False
        row = conn.execute(
            sql.SQL("SELECT value FROM {} WHERE key = 'fingerprint'").format(sql.Identifier(META_TABLE))
        ).fetchone()
        return row is not None and row[0] == expected


def recreate_database(server_url: str, name: str) -> None:
    with _admin(server_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server_url: str, name: str) -> None:
    with _admin(server_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def server_version(server_url: str) -> str:
    with _admin(server_url) as conn:
        row = conn.execute("SELECT version()").fetchone()
        return str(row[0]) if row else ""


# --- filling it (through Django's connection, after django.setup()) ----------------------------------


@dataclass
class LoadStats:
    migrate_seconds: float = 0.0
    generate_and_copy_seconds: float = 0.0
    vacuum_analyze_seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return self.migrate_seconds + self.generate_and_copy_seconds + self.vacuum_analyze_seconds


def _check_columns() -> None:
    """Stops when the models and the columns written here have drifted apart."""
    from households.models import (
        Asset,
        ExternalSupporter,
        Household,
        Income,
        Member,
        RigidExpense,
    )

    for model, columns in (
        (Household, HOUSEHOLD_COLUMNS),
        (Member, MEMBER_COLUMNS),
        (Income, INCOME_COLUMNS),
        (Asset, ASSET_COLUMNS),
        (RigidExpense, EXPENSE_COLUMNS),
        (ExternalSupporter, SUPPORTER_COLUMNS),
    ):
        actual = {f.column for f in model._meta.concrete_fields}
        if actual != set(columns):
            raise SystemExit(
                f"{model._meta.db_table}: the benchmark writes {sorted(columns)}, the model has "
                f"{sorted(actual)}; update benchmarks/database.py"
            )


def _org_units(units: Sequence[OrgUnitSpec]) -> dict[str, int]:
    """Creates the city, towns and villages (bulk, no history rows); returns village code → id."""
    from accounts.models import OrgUnit
    from accounts.orgs import ensure_base_org_units

    ensure_base_org_units()
    for kind in ("city", "town", "village"):
        existing = OrgUnit.objects.in_bulk(field_name="code")
        OrgUnit.objects.bulk_create(
            [
                OrgUnit(
                    code=unit.code,
                    name=unit.name,
                    kind=unit.kind,
                    parent=existing[unit.parent] if unit.parent else None,
                )
                for unit in units
                if unit.kind == kind and unit.code not in existing
            ]
        )
    return dict(OrgUnit.objects.filter(kind="village").values_list("code", "id"))


class _Rows:
    """The rows of one batch of households, per table, with ids continuing from batch to batch."""

    def __init__(self, village_ids: dict[str, int]) -> None:
        self.village_ids = village_ids
        self.next_id = dict.fromkeys(TABLES, 1)
        self.counts = dict.fromkeys(TABLES, 0)
        self.batch: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
        # Enrollments are written by their service's bulk variant, after their households and members.
        from households.services.enrollments import NewEnrollment

        self.new_enrollment = NewEnrollment
        self.enrollments: list[NewEnrollment] = []
        self.enrollment_count = 0

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        self.counts[table] += 1
        return value

    def add(self, spec: HouseholdSpec) -> None:
        household_id = self._id("households_household")
        self.batch["households_household"].append(
            (
                household_id,
                spec.number,
                self.village_ids[spec.village_code],
                spec.hukou_type,
                spec.address,
                spec.phone,
                True,
                "",
                CREATED_AT,
                CREATED_AT,
            )
        )
        member_ids = []
        for person in spec.members:
            member_id = self._id("households_member")
            member_ids.append(member_id)
            self.batch["households_member"].append(
                (
                    member_id,
                    household_id,
                    person.name,
                    person.id_number,
                    person.birth_date,
                    "male" if person.male else "female",
                    person.relation,
                    person.lives_together,
                    person.shares_finances,
                    person.marital_status,
                    bool(person.education_level),
                    person.education_level,
                    person.disability_grade,
                    person.disability_type,
                    person.serious_illness,
                    person.labor_capacity,
                    person.imprisoned,
                    person.full_civil_capacity,
                    "",
                    person.is_active,
                    "able",
                    "",
                )
            )
            for kind, amount in person.incomes:
                self.batch["households_income"].append(
                    (self._id("households_income"), member_id, kind, amount, "")
                )
        for kind, value in spec.assets:
            self.batch["households_asset"].append(
                (self._id("households_asset"), household_id, kind, value, "")
            )
        for kind, amount in spec.expenses:
            self.batch["households_rigidexpense"].append(
                (self._id("households_rigidexpense"), household_id, kind, amount, "")
            )
        for supporter in spec.supporters:
            self.batch["households_externalsupporter"].append(
                (
                    self._id("households_externalsupporter"),
                    household_id,
                    member_ids[supporter.supports],
                    supporter.name,
                    supporter.relation,
                    supporter.able_to_support,
                    "",
                )
            )
        for enrollment in spec.enrollments:
            self.enrollments.append(
                self.new_enrollment(
                    household_id=household_id,
                    member_id=None if enrollment.member is None else member_ids[enrollment.member],
                    category=enrollment.category,
                    start=enrollment.start_date,
                    end=enrollment.end_date,
                    end_reason="" if enrollment.end_date is None else "other",
                )
            )


# Parents before children, so every foreign key finds its row.
TABLES: dict[str, tuple[str, ...]] = {
    "households_household": HOUSEHOLD_COLUMNS,
    "households_member": MEMBER_COLUMNS,
    "households_income": INCOME_COLUMNS,
    "households_asset": ASSET_COLUMNS,
    "households_rigidexpense": EXPENSE_COLUMNS,
    "households_externalsupporter": SUPPORTER_COLUMNS,
}


def _copy(raw: psycopg.Connection[Any], table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(column) for column in TABLES[table])
    )
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def load(*, households: int, seed: int, batch_size: int = 10_000, bench: bool = True) -> LoadStats:
    """Migrates the (empty) database and fills it with `households` generated households. With
    `bench=False` (a test's database, already migrated) it neither migrates nor marks the database as
    the bench's."""
    from django.core.management import call_command
    from django.db import connection

    from households.services.enrollments import enrollments_bulk_start

    stats = LoadStats()
    started = time.perf_counter()
    if bench:
        call_command("migrate", interactive=False, verbosity=0)
    stats.migrate_seconds = time.perf_counter() - started
    stderr(f"bulk: migrated in {stats.migrate_seconds:.1f}s")
    _check_columns()

    started = time.perf_counter()
    units = org_tree()
    village_ids = _org_units(units)
    generator = HouseholdGenerator(seed, villages(units), broken_rate=BROKEN_RATE, settled_rate=SETTLED_RATE)
    connection.ensure_connection()
    raw = cast(psycopg.Connection[Any], connection.connection)
    rows = _Rows(village_ids)
    for start in range(0, households, batch_size):
        for spec in generator.households(min(batch_size, households - start), start=start):
            rows.add(spec)
        for table in TABLES:
            _copy(raw, table, rows.batch[table])
            rows.batch[table].clear()
        rows.enrollment_count += enrollments_bulk_start(rows.enrollments, acting_user=None, history=False)
        rows.enrollments.clear()
        done = min(start + batch_size, households)
        if done % 50_000 == 0 or done == households:
            stderr(f"bulk: {done:,} households copied ({time.perf_counter() - started:.1f}s)")
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",  # noqa: S608
                [table],
            )
    stats.generate_and_copy_seconds = time.perf_counter() - started
    stats.rows = {
        **rows.counts,
        "households_enrollment": rows.enrollment_count,
        "accounts_orgunit (villages)": len(village_ids),
    }

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in [*TABLES, "households_enrollment"]:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        if bench:
            cursor.execute(f"CREATE TABLE {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
            cursor.execute(
                f"INSERT INTO {META_TABLE} VALUES ('fingerprint', %s), ('rows', %s)",  # noqa: S608
                [fingerprint(households, seed), json.dumps(stats.rows)],
            )
    stats.vacuum_analyze_seconds = time.perf_counter() - started
    stderr(
        f"bulk: generated and copied {households:,} households in {stats.generate_and_copy_seconds:.1f}s, "
        f"VACUUM ANALYZE {stats.vacuum_analyze_seconds:.1f}s; rows {stats.rows}"
    )
    return stats


def stored_rows() -> dict[str, int]:
    """The row counts a kept database was filled with (for --keep-db reuse)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'rows'")  # noqa: S608
        row = cursor.fetchone()
    return cast(dict[str, int], json.loads(row[0])) if row else {}
