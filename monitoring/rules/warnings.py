"""The warning rules of DESIGN §3.6, applied to the rows an import has just stored.

Each rule gets a batch of new rows (one chunk of one import) and answers which rows raise a warning, with
the words a clerk reads ("what matched"). Rules read what they need for the whole batch at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eligibility.engine import evaluate, medical_assistance_ratio
from eligibility.selectors import ParameterTable, household_snapshot, household_snapshot_queryset
from eligibility.snapshot import SnapshotInvalid, validate_snapshot
from households.glossary import Category
from households.models import Enrollment, Member
from households.selectors.households import enrolled_on

from ..datasets import Dataset
from ..models import SharedRow
from ..parsing import months_before
from ..selectors.checks import economic_check_discrepancies

SEVERE_AT_GRADE_3 = frozenset({"intellectual", "mental"})


@dataclass
class RuleContext:
    today: date
    table: ParameterTable


@dataclass(frozen=True)
class Hit:
    row: SharedRow
    detail: str
    year: int | None = None


def _plain(value: Decimal) -> str:
    """10000.0000 → 10000, 70.50 → 70.5: a parameter or ratio as a person writes it."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _always(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    return [Hit(row, f"{dataset.label}：{_row_words(dataset, row)}") for row in rows]


def _row_words(dataset: Dataset, row: SharedRow) -> str:
    parts = []
    for column in dataset.columns:
        value = row.data.get(column.key)
        if value not in (None, ""):
            parts.append(f"{column.header} {value}")
    return "，".join(parts)


def _dangerous_house(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    return [
        Hit(row, f"住房鉴定为{row.data['rating']}级危房")
        for row in rows
        if row.data.get("rating") in ("C", "D")
    ]


def _is_severe(grade: int | None, kind: str | None) -> bool:
    return grade is not None and (grade <= 2 or (grade == 3 and kind in SEVERE_AT_GRADE_3))


def _severe_disability(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    members = Member.objects.in_bulk([row.member_id for row in rows])
    hits = []
    for row in rows:
        grade, kind = int(row.data["grade"]), row.data["kind"]
        if not _is_severe(grade, kind):
            continue
        member = members[row.member_id]
        stored = member.disability_grade
        if stored is None or not _is_severe(stored, member.disability_type) or stored > grade:
            had = "无残疾记录" if stored is None else f"档案为{stored}级"
            hits.append(Hit(row, f"残联持证{grade}级重度残疾（{had}）"))
    return hits


def _medical_burden(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    """The household's self-pay over the 12 months up to the row reaches the alert; once per year."""
    households = {row.household_id for row in rows}
    earliest = months_before(min(row.row_date for row in rows), 12)
    latest = max(row.row_date for row in rows)
    paid: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for household_id, day, data in SharedRow.objects.filter(
        dataset="medical_expense", household_id__in=households, row_date__gt=earliest, row_date__lte=latest
    ).values_list("household_id", "row_date", "data"):
        paid[household_id].append((day, Decimal(data["self_paid"])))
    hits, seen = [], set()
    for row in sorted(rows, key=lambda r: (r.row_date, r.pk)):
        key = (row.household_id, row.row_date.year)
        if key in seen:
            continue
        village_code = row.household.village.code
        alert = ctx.table.in_force(village_code, ctx.today).medical_self_pay_alert
        start = months_before(row.row_date, 12)
        total = sum(
            (amount for day, amount in paid[row.household_id] if start < day <= row.row_date), Decimal(0)
        )
        if total >= alert:
            seen.add(key)
            hits.append(
                Hit(
                    row,
                    f"近12个月政策范围内个人自付合计{_plain(total)}元，达到{_plain(alert)}元",
                    year=row.row_date.year,
                )
            )
    return hits


def _categories_now(household_ids: set[int], on: date) -> dict[int, list[tuple[str, int | None]]]:
    found: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for household_id, category, member_id in Enrollment.objects.filter(
        enrolled_on(on), household_id__in=household_ids
    ).values_list("household_id", "category", "member_id"):
        found[household_id].append((category, member_id))
    return found


def _below_ratio(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    enrolled = _categories_now({row.household_id for row in rows}, ctx.today)
    hits = []
    for row in rows:
        if row.data.get("ratio") in (None, ""):
            continue
        ratio = Decimal(row.data["ratio"])
        categories = [c for c, member in enrolled[row.household_id] if member in (None, row.member_id)]
        parameters = ctx.table.in_force(row.household.village.code, ctx.today)
        expected = medical_assistance_ratio(categories, parameters)
        if expected is not None and ratio < expected:
            hits.append(Hit(row, f"医疗救助比例{_plain(ratio)}%，低于应享受的{_plain(expected)}%"))
    return hits


def _income_rise(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    """Re-evaluate with that member's income replaced by 12 × the monthly wage: a warning when one of the
    household's enrolled categories would go."""
    household_ids = {row.household_id for row in rows}
    enrolled = _categories_now(household_ids, ctx.today)
    loaded = {h.pk: h for h in household_snapshot_queryset().filter(pk__in=household_ids)}
    hits = []
    for row in rows:
        current = {c for c, _ in enrolled[row.household_id]}
        household = loaded.get(row.household_id)
        if not current or household is None:
            continue
        data = household_snapshot(household, as_of=ctx.today)
        annual = Decimal(row.data["monthly_wage"]) * 12
        for member in data["members"]:
            if member["ref"] == str(row.member_id):
                member["annual_income"] = f"{annual:.2f}"
        try:
            result = evaluate(validate_snapshot(data), ctx.table.in_force(household.village.code, ctx.today))
        except SnapshotInvalid:
            continue
        lost = current - set(result.categories) - {"case_by_case"}
        if lost:
            labels = "、".join(str(Category(code).label) for code in sorted(lost))
            hits.append(Hit(row, f"按月工资{row.data['monthly_wage']}元重新测算，将不再符合：{labels}"))
    return hits


def _check_discrepancy(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    """economic_check: the rule lives with the checks (monitoring/checks.py)."""
    return [
        Hit(row, detail)
        for row, detail in economic_check_discrepancies(rows, today=ctx.today, table=ctx.table)
    ]


RULES: dict[str, Callable[[Dataset, Sequence[SharedRow], RuleContext], list[Hit]]] = {
    "always": _always,
    "dangerous_house": _dangerous_house,
    "severe_disability": _severe_disability,
    "medical_burden": _medical_burden,
    "below_ratio": _below_ratio,
    "income_rise": _income_rise,
    "check_discrepancy": _check_discrepancy,
}


def rule_hits(dataset: Dataset, rows: Sequence[SharedRow], ctx: RuleContext) -> list[Hit]:
    if dataset.warning is None or not rows:
        return []
    return RULES[dataset.warning.condition](dataset, rows, ctx)
