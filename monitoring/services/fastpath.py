"""The PostgreSQL path of an import (DESIGN §3.6, issue 10 "fast path"): each chunk of checked rows goes
through COPY into a temporary staging table, is matched by normalised ID in SQL against a temporary table
of the pool's members (built once per import), and the new rows are inserted set-wise with ON CONFLICT DO
NOTHING on the row identity. Python holds one chunk at a time; SQLite (`make run`) uses the ORM path.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import connection

from ..datasets import Dataset
from ..models import DatasetImport, SharedRow
from ..parsing import CleanRow

STAGE = "monitoring_import_stage"
POOL = "monitoring_import_pool"


MATCH_SQL = (
    "SELECT count(p.id), count(*) FILTER (WHERE p.id IS NULL), "  # noqa: S608 - module constants only
    "coalesce(array_agg(s.row_number ORDER BY s.row_number) "
    "FILTER (WHERE p.id IS NOT NULL AND p.name <> s.name), '{}') "
    f"FROM {STAGE} s LEFT JOIN {POOL} p ON p.id_number = s.id_number"
)
INSERT_SQL = (
    f"INSERT INTO {SharedRow._meta.db_table} (dataset_import_id, dataset, period, row_number, "  # noqa: S608
    "id_number, name, row_date, amount_key, data, household_id, member_id, name_mismatch, assistance_amount) "
    "SELECT DISTINCT ON (s.id_number, s.row_date, s.amount_key) "
    "%s, %s, %s, s.row_number, s.id_number, s.name, s.row_date, s.amount_key, s.data, p.household_id, "
    "p.id, p.name <> s.name, s.assistance "
    f"FROM {STAGE} s JOIN {POOL} p ON p.id_number = s.id_number "
    "ORDER BY s.id_number, s.row_date, s.amount_key, s.row_number "
    "ON CONFLICT (dataset, id_number, row_date, amount_key) DO NOTHING RETURNING id"
)


def available() -> bool:
    return connection.vendor == "postgresql"


def prepare(*, pool_sql: str, pool_params: tuple[Any, ...]) -> None:
    """The staging table and the pool's members, for this transaction only."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}; DROP TABLE IF EXISTS {POOL}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} (row_number integer, id_number varchar(18), name varchar(50), "
            "row_date date, amount_key varchar(20), data jsonb, assistance numeric(14, 2)) ON COMMIT DROP"
        )
        cursor.execute(
            f"CREATE TEMP TABLE {POOL} ON COMMIT DROP AS "  # noqa: S608 - constants and Django's SQL
            "SELECT m.id, m.id_number, m.name, m.household_id FROM households_member m "
            f"WHERE m.is_active AND m.household_id IN ({pool_sql})",
            pool_params,
        )
        cursor.execute(f"CREATE INDEX ON {POOL} (id_number)")
        cursor.execute(f"ANALYZE {POOL}")


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return None if value is None else str(value)


def store_chunk(
    record: DatasetImport, dataset: Dataset, clean: list[CleanRow]
) -> tuple[int, int, list[int], list[int]]:
    """COPY, match, insert. Returns (matched rows, unmatched rows, name-mismatch row numbers, ids of the
    rows stored now)."""
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute(f"TRUNCATE {STAGE}")
        columns = "row_number, id_number, name, row_date, amount_key, data, assistance"
        with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            for row in clean:
                data = {k: _json_value(v) for k, v in row.values.items() if k not in ("id_number", "name")}
                assistance = row.values.get(dataset.assistance) if dataset.assistance else None
                copy.write_row(
                    (
                        row.row,
                        row.id_number,
                        row.name,
                        row.row_date,
                        row.amount_key,
                        json.dumps(data, ensure_ascii=False),
                        assistance,
                    )
                )
        # The table names are this module's constants and the pool's SQL Django's own: no user input.
        cursor.execute(MATCH_SQL)
        matched, unmatched, mismatches = cursor.fetchone() or (0, 0, [])
        cursor.execute(INSERT_SQL, (record.pk, record.dataset, record.period))
        stored = [row_id for (row_id,) in cursor.fetchall()]
    return matched, unmatched, list(mismatches), stored
