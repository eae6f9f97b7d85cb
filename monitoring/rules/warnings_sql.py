# ruff: noqa: S608 - SQL composed from the dataset declarations and module constants; values are parameters
"""The warning rules of DESIGN §3.6 that are plain tests on the data, as one set-based statement each over
the rows an import stored (PostgreSQL). They give exactly the warnings, details and years of the Python
rules in rules.py, which the ORM path (SQLite) and the rules that re-evaluate a household with the
engine (`income_rise`) still use.

Each rule is a SELECT of (source row, household, member, detail, year) over the stored rows `r` of the
import joined to their household `h` and village `v`, and, where a parameter is needed, to `p`, the
parameters in force for the household's village today (a temporary table built by `_parameters`).
`warnings_insert` wraps it in one INSERT … ON CONFLICT DO NOTHING: the unique constraints of the Warning
model keep a retry, a second worker or a re-upload from raising a warning twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Field

from eligibility.selectors import ParameterTable
from households.models import Enrollment, Household, Member

from ..datasets import Dataset
from ..models import SharedRow, Warning

PARAMS = "monitoring_rule_parameters"
ROWS = SharedRow._meta.db_table
NEW = "monitoring_import_new"  # fastpath.NEW: the rows the import stored (id, household, member, date, data)
SEVERE_AT_GRADE_3 = ("intellectual", "mental")


class _Sql:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def lit(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


def _always(dataset: Dataset, sql: _Sql) -> tuple[str, str, str]:
    words = []
    for column in dataset.columns:
        value = f"(r.data ->> {sql.lit(column.key)})"
        words.append(f"CASE WHEN {value} <> '' THEN {sql.lit(column.header + ' ')} || {value} END")
    detail = f"{sql.lit(dataset.label + '：')} || concat_ws('，', {', '.join(words)})"
    return detail, "NULL::int", "true"


def _dangerous_house(dataset: Dataset, sql: _Sql) -> tuple[str, str, str]:
    rating = "(r.data ->> 'rating')"
    return f"'住房鉴定为' || {rating} || '级危房'", "NULL::int", f"{rating} IN ('C', 'D')"


def _severe(grade: str, kind: str) -> str:
    kinds = ", ".join(f"'{k}'" for k in SEVERE_AT_GRADE_3)
    return f"({grade} <= 2 OR ({grade} = 3 AND coalesce({kind} IN ({kinds}), false)))"


def _severe_disability(dataset: Dataset, sql: _Sql) -> tuple[str, str, str]:
    grade, kind = "(r.data ->> 'grade')::int", "(r.data ->> 'kind')"
    stored = "m.disability_grade"
    member = f"(SELECT {stored} FROM {Member._meta.db_table} m WHERE m.id = r.member_id)"
    member_type = f"(SELECT m.disability_type FROM {Member._meta.db_table} m WHERE m.id = r.member_id)"
    condition = (
        f"{_severe(grade, kind)} AND ({member} IS NULL OR NOT {_severe(member, member_type)} "
        f"OR {member} > {grade})"
    )
    had = f"CASE WHEN {member} IS NULL THEN '无残疾记录' ELSE '档案为' || {member} || '级' END"
    return f"'残联持证' || {grade} || '级重度残疾（' || {had} || '）'", "NULL::int", condition


def _below_ratio(dataset: Dataset, sql: _Sql) -> tuple[str, str, str]:
    ratio = "(r.data ->> 'ratio')"
    enrollments = Enrollment._meta.db_table
    expected = (
        "(SELECT max(CASE e.category WHEN 'tekun' THEN p.ratio_tekun WHEN 'dibao' THEN p.ratio_dibao "
        "WHEN 'dibao_single' THEN p.ratio_dibao WHEN 'marginal' THEN p.ratio_marginal "
        f"WHEN 'monitoring' THEN p.ratio_monitoring END) FROM {enrollments} e "
        "WHERE e.household_id = r.household_id AND (e.member_id IS NULL OR e.member_id = r.member_id) "
        "AND e.start_date <= p.today AND (e.end_date IS NULL OR e.end_date > p.today))"
    )
    condition = f"{ratio} <> '' AND {ratio}::numeric < {expected}"
    detail = (
        f"'医疗救助比例' || trim_scale({ratio}::numeric) || '%%，低于应享受的' "
        f"|| trim_scale({expected}) || '%%'"
    )
    return detail, "NULL::int", condition


def _medical_burden(dataset: Dataset, sql: _Sql) -> tuple[str, str, str]:
    """Handled by `_medical_burden_select`: it needs a window over the household's earlier rows."""
    raise NotImplementedError


SQL_RULES: dict[str, Callable[[Dataset, _Sql], tuple[str, str, str]]] = {
    "always": _always,
    "dangerous_house": _dangerous_house,
    "severe_disability": _severe_disability,
    "below_ratio": _below_ratio,
    "medical_burden": _medical_burden,
}


def handles(condition: str) -> bool:
    return condition in SQL_RULES


def _parameters(import_id: int, today: date, table: ParameterTable) -> None:
    """The parameters in force today for each village that one of the import's households lives in."""
    villages = Household._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT v.id, v.code FROM {NEW} r JOIN {villages} h ON h.id = r.household_id "
            "JOIN accounts_orgunit v ON v.id = h.village_id"
        )
        found = cursor.fetchall()
        cursor.execute(f"DROP TABLE IF EXISTS {PARAMS}")
        cursor.execute(
            f"CREATE TEMP TABLE {PARAMS} (village_id bigint PRIMARY KEY, today date, alert numeric, "
            "ratio_tekun numeric, ratio_dibao numeric, ratio_marginal numeric, ratio_monitoring numeric) "
            "ON COMMIT DROP"
        )
        for village_id, code in found:
            values = table.in_force(code, today)
            cursor.execute(
                f"INSERT INTO {PARAMS} VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    village_id,
                    today,
                    values.medical_self_pay_alert,
                    values.medical_ratio_tekun,
                    values.medical_ratio_dibao,
                    values.medical_ratio_marginal,
                    values.medical_ratio_monitoring,
                ],
            )


def _medical_burden_select(dataset: Dataset) -> str:
    """The household's self-pay over the 12 months up to each new row (a row dated exactly 12 months
    before excluded, months_before's end-of-month rule being PostgreSQL's own), the first new row in
    (date, file row) order that reaches the alert in each calendar year. The file's row number, not the
    id: the import inserts its rows in the unique index's order (fastpath.INSERT_SQL), so among the rows
    of one day the ids no longer follow the file; the candidates are all this import's rows, so the file
    row is the order the Python rule's (date, id) meets in a file stored row by row.

    The stored rows are read household by household (the LATERAL, kept apart by OFFSET 0, walks the
    (household, dataset, row_date) index once per household of the import; `dataset || ''` keeps the
    planner from scanning the unique (dataset, …, row_date) index instead) so that the plan does not
    depend on monitoring_sharedrow's statistics: right after a large insert they still say the table
    holds almost nothing, and a plain `household_id IN (SELECT … FROM new)` was then planned as a nested
    loop that scanned the import's rows once per stored row (65 s for 50,000 rows, issue 12)."""
    return (
        "SELECT DISTINCT ON (w.household_id, w.year) w.id, w.household_id, w.member_id, w.village_id, "
        "'近12个月政策范围内个人自付合计' || trim_scale(w.total) || '元，达到' "
        "|| trim_scale(p.alert) || '元', "
        "w.year FROM ("
        "SELECT o.id, o.row_number, o.household_id, o.member_id, o.dataset_import_id, h.village_id, "
        "extract(year FROM o.row_date)::int AS year, o.row_date, "
        "sum((o.data ->> 'self_paid')::numeric) OVER (PARTITION BY o.household_id ORDER BY o.row_date "
        "RANGE BETWEEN interval '12 months -1 day' PRECEDING AND CURRENT ROW) AS total "
        f"FROM (SELECT DISTINCT household_id FROM {NEW}) n "
        "CROSS JOIN (SELECT min(row_date) - interval '12 months' AS after, max(row_date) AS upto "
        f"FROM {NEW}) b "
        f"CROSS JOIN LATERAL (SELECT * FROM {ROWS} s WHERE s.household_id = n.household_id "
        "AND s.dataset || '' = %(dataset)s AND s.row_date > b.after AND s.row_date <= b.upto OFFSET 0"
        f") o JOIN {Household._meta.db_table} h ON h.id = o.household_id"
        f") w JOIN {PARAMS} p ON p.village_id = w.village_id "
        f"WHERE w.dataset_import_id = %(import)s AND w.total >= p.alert "
        "ORDER BY w.household_id, w.year, w.row_date, w.row_number"
    )


def _constant_columns() -> list[tuple[str, Any]]:
    """Every other column of a warning, with the model's default (so a field added later still gets its
    default here)."""
    given = {
        "id",
        "type",
        "severity",
        "household",
        "member",
        "source_row",
        "year",
        "assignee",
        "town",
        "raised_on",
        "due_on",
        "due_provisional",
        "detail",
        "created_at",
    }
    columns = []
    for field in Warning._meta.concrete_fields:
        if field.name in given:
            continue
        assert isinstance(field, Field)
        columns.append((field.column, field.get_db_prep_save(field.get_default(), connection)))
    return columns


def warnings_insert(
    *,
    dataset: Dataset,
    import_id: int,
    today: date,
    due: date,
    due_provisional: bool,
    table: ParameterTable,
    department_id: int | None,
) -> None:
    """Raises the dataset's warnings for the rows the import stored."""
    rule = dataset.warning
    assert rule is not None
    assert handles(rule.condition)
    if rule.condition in ("medical_burden", "below_ratio"):
        _parameters(import_id, today, table)
    sql = _Sql()
    if rule.condition == "medical_burden":
        select = _medical_burden_select(dataset)
        sql.params.update({"dataset": dataset.key, "import": import_id})
    else:
        detail, year, condition = SQL_RULES[rule.condition](dataset, sql)
        select = (
            f"SELECT r.id, r.household_id, r.member_id, h.village_id, {detail}, {year} "
            f"FROM {NEW} r JOIN {Household._meta.db_table} h ON h.id = r.household_id "
            f"{f'JOIN {PARAMS} p ON p.village_id = h.village_id ' if rule.condition == 'below_ratio' else ''}"
            f"WHERE {condition}"
        )
    if rule.to == "town":
        assignee = f"coalesce(v.parent_id, {sql.lit(department_id)}::bigint)"
    else:
        assignee = f"{sql.lit(department_id)}::bigint"
    constants = _constant_columns()
    columns = [
        "type",
        "severity",
        "household_id",
        "member_id",
        "source_row_id",
        "year",
        "assignee_id",
        "town_id",
        "raised_on",
        "due_on",
        "due_provisional",
        "detail",
        "created_at",
        *(name for name, _value in constants),
    ]
    values = [
        sql.lit(rule.type),
        sql.lit(rule.severity),
        "hit.household_id",
        "hit.member_id",
        "hit.id",
        "hit.year",
        assignee,
        "v.parent_id",
        sql.lit(today),
        sql.lit(due),
        sql.lit(due_provisional),
        "left(hit.detail, 300)",
        "now()",
        *(sql.lit(value) for _name, value in constants),
    ]
    statement = (
        f"INSERT INTO {Warning._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM ({select}) "
        "AS hit (id, household_id, member_id, village_id, detail, year) "
        f"JOIN accounts_orgunit v ON v.id = hit.village_id WHERE {assignee} IS NOT NULL "
        "ON CONFLICT DO NOTHING"
    )
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute(statement, sql.params)
