"""Shared rows that bring help become assistance records on the member (DESIGN §3.6, §3.8).

A stored row of `illness_relief`, `medical_assistance`, `student_aid`, `hardship_worker` (their `amount`),
`housing` and `disaster` (their `aid_amount`, when given) and every `legal_aid` row (help in kind, no
amount) becomes one `households.AssistanceRecord` with source 部门共享数据, naming its dataset, import and
row. Set-based: one INSERT … SELECT over the import's stored rows, and one more for the records' history
(made by the system, so no person is named). The record's unique `source_row_id` makes it idempotent: a
re-run, a retry or a second worker adds nothing.
"""

from __future__ import annotations

from django.db import connection

from households.glossary import DATASET_ASSISTANCE_KINDS, AssistanceSource
from households.models import AssistanceRecord

from ..models import DatasetImport, SharedRow

# Rows of these datasets are assistance in kind: a record even without an amount.
IN_KIND_DATASETS = frozenset({"legal_aid"})
# The stored column that says what the help was (资助项目, 帮扶项目, 事项).
NOTE_KEYS = ("aid_type", "matter")

_RECORD_COLUMNS = (
    "household_id, member_id, kind, received_on, amount, source, source_dataset, source_import_id, "
    "source_row_id, note, reason, explanation, explained_on, recorded_by_id, created_at"
)


def _insert_sql() -> tuple[str, list[str]]:
    record_table = AssistanceRecord._meta.db_table
    row_table = SharedRow._meta.db_table
    datasets = sorted(DATASET_ASSISTANCE_KINDS)
    kind_case = " ".join("WHEN %s THEN %s" for _ in datasets)
    note = ", ".join(f"s.data->>'{key}'" for key in NOTE_KEYS)
    in_kind = sorted(IN_KIND_DATASETS)
    sql = (
        f"INSERT INTO {record_table} ({_RECORD_COLUMNS}) "  # noqa: S608 - model tables and constants only
        f"SELECT s.household_id, s.member_id, CASE s.dataset {kind_case} END, s.row_date, "
        f"s.assistance_amount, %s, s.dataset, s.dataset_import_id, s.id, "
        f"substr(coalesce({note}, ''), 1, 200), '', '', NULL, NULL, CURRENT_TIMESTAMP "
        f"FROM {row_table} s "
        f"WHERE s.dataset_import_id = %s AND s.dataset IN ({', '.join('%s' for _ in datasets)}) "
        f"AND (s.assistance_amount IS NOT NULL OR s.dataset IN ({', '.join('%s' for _ in in_kind)})) "
        "ON CONFLICT (source_row_id) DO NOTHING"
    )
    params: list[str] = [value for key in datasets for value in (key, DATASET_ASSISTANCE_KINDS[key])]
    return sql, params


def _history_sql() -> str:
    record_table = AssistanceRecord._meta.db_table
    history_table = AssistanceRecord.history.model._meta.db_table
    return (
        f"INSERT INTO {history_table} (id, {_RECORD_COLUMNS}, history_date, history_change_reason, "  # noqa: S608
        "history_type, history_user_id) "
        f"SELECT r.id, {', '.join('r.' + c.strip() for c in _RECORD_COLUMNS.split(','))}, CURRENT_TIMESTAMP, "
        "'部门共享数据导入', '+', NULL "
        f"FROM {record_table} r WHERE r.source_import_id = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {history_table} h WHERE h.id = r.id)"
    )


def record_assistance(dataset_import: DatasetImport) -> int:
    """Makes the assistance records of one import's stored rows; returns how many were new. Call it in
    the import's transaction, after its rows are stored; running it again adds nothing."""
    if dataset_import.dataset not in DATASET_ASSISTANCE_KINDS:
        return 0
    sql, sql_params = _insert_sql()
    datasets = sorted(DATASET_ASSISTANCE_KINDS)
    params: list[str | int] = [
        *sql_params,
        AssistanceSource.SHARED_DATA,
        dataset_import.pk,
        *datasets,
        *sorted(IN_KIND_DATASETS),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = max(cursor.rowcount, 0)
        cursor.execute(_history_sql(), [dataset_import.pk])
    return created
