"""Checks (DESIGN §3.6 Checks; policy 二(四)1–2): reads, pure rules and exports.

- The half-yearly central check (集中核对): the export of every enrolled household's members for the city's
  核对平台 (`central_check_rows`, written as CSV or XLSX), the re-evaluation of the households its results
  (the dataset `economic_check`) name (`economic_check_discrepancies`, called by the warning rule
  `check_discrepancy` in monitoring/rules/warnings.py), and the students without student aid
  (`student_aid_missing_candidates`, raised by monitoring/services/checks.py).
- The annual city check's reproducible sample (`sample_households`) and the check tasks in a user's scope
  (`check_tasks_open`, `check_task_list`).

Writes (plans, tasks, results, the half-yearly run) are in monitoring/services/checks.py.
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import IO, Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.access import check_task_read_filter
from daye_relief.errors import DomainError
from eligibility.engine import evaluate
from eligibility.selectors import (
    ParameterTable,
    enrolled_households,
    household_snapshot,
    household_snapshot_queryset,
)
from eligibility.snapshot import SnapshotInvalid, validate_snapshot
from households.glossary import Category, EducationLevel, Relation
from households.models import Enrollment, Member
from households.selectors.households import enrolled_on

from ..glossary import STUDENT_AID_CATEGORIES, STUDENT_AID_LEVELS, CheckStatus, WarningType
from ..models import CheckPlan, CheckTask, SharedRow, Warning
from ..parsing import months_before

# The half-yearly central check export -------------------------------------------------------------

CENTRAL_CHECK_HEADERS = ("户编号", "姓名", "身份证号", "与申请人关系", "镇(街道)", "村(居)")


def central_check_rows(*, on: date) -> Iterator[tuple[str, ...]]:
    """One row per active member of every household enrolled on `on`, by household number: one query,
    read in chunks (the export streams, whatever the number of households)."""
    relations = dict(Relation.choices)
    rows = (
        Member.objects.filter(is_active=True, household__in=enrolled_households(on=on).values("pk"))
        .order_by("household__household_number", "pk")
        .values_list(
            "household__household_number",
            "name",
            "id_number",
            "relation",
            "household__village__parent__name",
            "household__village__name",
        )
    )
    for number, name, id_number, relation, town, village in rows.iterator(chunk_size=2000):
        yield (number, name, id_number, str(relations.get(relation, relation)), town or "", village)


class _Echo:
    def write(self, value: str) -> str:
        return value


def central_check_csv(*, on: date) -> Iterator[bytes]:
    """The export as UTF-8 CSV with a BOM (Excel opens it as Chinese), line by line."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(CENTRAL_CHECK_HEADERS)).encode("utf-8")
    for row in central_check_rows(on=on):
        yield writer.writerow(row).encode("utf-8")


def central_check_xlsx(*, on: date, out: IO[bytes]) -> int:
    """The export as an XLSX workbook (openpyxl's write-only mode: rows are not kept in memory); the ID
    numbers are text cells, so that Excel does not turn them into numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"集中核对{on:%Y%m%d}")
    sheet.append(list(CENTRAL_CHECK_HEADERS))
    count = 0
    for row in central_check_rows(on=on):
        count += 1
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    book.save(out)
    return count


# The half-yearly run's period ---------------------------------------------------------------------


def half_yearly_period(day: date) -> str:
    """The half-yearly check a day belongs to: "YYYY-01" (January to June) or "YYYY-07"."""
    return f"{day.year}-01" if day.month < 7 else f"{day.year}-07"


def half_yearly_reference_day(period: str) -> date:
    """The day the run of `period` looks from: the 10th of January or July (DESIGN §3.6 Schedules), so
    that a second run of the same period reads the same 12 months."""
    try:
        year, month = (int(part) for part in period.split("-"))
    except ValueError:
        year, month = 0, 0
    if month not in (1, 7) or year < 2000:
        raise DomainError(
            f"核对期“{period}”不对，应为 YYYY-01 或 YYYY-07。", code="bad_period", field="period"
        )
    return date(year, month, 10)


# The economic check's re-evaluation ----------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What the 核对平台 found for one member."""

    annual_income: Decimal
    financial_assets: Decimal
    vehicles: int
    vehicle_value: Decimal
    dwellings: int
    business: bool

    @classmethod
    def from_row(cls, data: Mapping[str, Any]) -> Figures:
        return cls(
            annual_income=Decimal(data["annual_income"]),
            financial_assets=Decimal(data["financial_assets"]),
            vehicles=int(data["vehicles"]),
            vehicle_value=Decimal(data["vehicle_value"]),
            dwellings=int(data["dwellings"]),
            business=data["business"] == "yes",
        )


def snapshot_with_figures(data: dict[str, Any], figures: Mapping[str, Figures]) -> dict[str, Any]:
    """The snapshot with the found figures in place of the stored ones: each checked member's annual
    income, and the household's assets as the sum of what was found on its checked members."""
    changed = {**data, "members": [dict(member) for member in data["members"]]}
    for member in changed["members"]:
        found = figures.get(member["ref"])
        if found is not None:
            member["annual_income"] = f"{found.annual_income:.2f}"
    if figures:
        values = list(figures.values())
        changed["assets"] = {
            "financial_assets": f"{sum((f.financial_assets for f in values), Decimal(0)):.2f}",
            "motor_vehicles": sum(f.vehicles for f in values),
            "motor_vehicle_value": f"{sum((f.vehicle_value for f in values), Decimal(0)):.2f}",
            "houses": sum(f.dwellings for f in values),
            "registered_business": any(f.business for f in values),
        }
    return changed


def _labels(codes: Iterable[str]) -> str:
    """Chinese labels in the categories' own order (特困, 低保, …)."""
    order = list(Category.values)
    return "、".join(str(Category(code).label) for code in sorted(codes, key=order.index))


def categories_change(*, enrolled: set[str], stored: Sequence[str], found: Sequence[str]) -> str:
    """What the found figures change, in words ("" when nothing): an enrolled category the household no
    longer meets, or a category it meets only with the found figures and does not hold."""
    lost = enrolled - set(found) - {"case_by_case"}
    added = set(found) - set(stored) - enrolled - {"case_by_case"}
    parts = []
    if lost:
        parts.append(f"将不再符合：{_labels(lost)}")
    if added:
        parts.append(f"新符合：{_labels(added)}")
    return "；".join(parts)


def economic_check_discrepancies(
    rows: Sequence[SharedRow], *, today: date, table: ParameterTable
) -> list[tuple[SharedRow, str]]:
    """For newly stored `economic_check` rows: each enrolled household they name, re-evaluated with all
    the figures found for it in the same period (earlier chunks and files included), whose categories
    would change — once per household and period (a household already warned for that period is left
    alone). Answers (the household's first new row, what changes)."""
    if not rows:
        return []
    households = {row.household_id for row in rows}
    periods = {row.period for row in rows}
    warned = set(
        Warning.objects.filter(
            type=WarningType.CHECK_DISCREPANCY,
            household_id__in=households,
            source_row__dataset="economic_check",
            source_row__period__in=periods,
        ).values_list("household_id", "source_row__period")
    )
    figures: dict[tuple[int, str], dict[str, Figures]] = defaultdict(dict)
    for household_id, period, member_id, data in (
        SharedRow.objects.filter(dataset="economic_check", household_id__in=households, period__in=periods)
        .order_by("row_date", "pk")
        .values_list("household_id", "period", "member_id", "data")
    ):
        figures[(household_id, period)][str(member_id)] = Figures.from_row(data)  # the latest wins
    enrolled: dict[int, set[str]] = defaultdict(set)
    for household_id, category in Enrollment.objects.filter(
        enrolled_on(today), household_id__in=households
    ).values_list("household_id", "category"):
        enrolled[household_id].add(category)
    loaded = {h.pk: h for h in household_snapshot_queryset().filter(pk__in=households)}
    first: dict[tuple[int, str], SharedRow] = {}
    for row in sorted(rows, key=lambda r: r.row_number):
        first.setdefault((row.household_id, row.period), row)
    found_changes = []
    for key, row in first.items():
        household = loaded.get(row.household_id)
        if key in warned or household is None or not enrolled[row.household_id]:
            continue
        data = household_snapshot(household, as_of=today)
        parameters = table.in_force(household.village.code, today)
        try:
            stored = evaluate(validate_snapshot(data, shape_checked=True), parameters)
            found = evaluate(
                validate_snapshot(snapshot_with_figures(data, figures[key]), shape_checked=True), parameters
            )
        except SnapshotInvalid:
            continue
        change = categories_change(
            enrolled=enrolled[row.household_id], stored=stored.categories, found=found.categories
        )
        if change:
            found_changes.append((row, f"按集中核对结果重新测算，{change}"))
    return found_changes


# Student aid (the half-yearly run) ----------------------------------------------------------------


@dataclass(frozen=True)
class StudentWithoutAid:
    household_id: int
    member_id: int
    village_code: str
    level: str


def student_aid_missing_candidates(*, on: date, chunk_size: int = 1000) -> Iterator[StudentWithoutAid]:
    """Every counted member in full-time study up to senior secondary level of a household enrolled on
    `on` as 特困/低保/边缘/monitoring, with no `student_aid` row dated in the 12 months before `on`
    (after the same day a year earlier, up to `on`)."""
    table = ParameterTable.load()
    since = months_before(on, 12)
    eligible = Enrollment.objects.filter(enrolled_on(on), category__in=STUDENT_AID_CATEGORIES).values(
        "household_id"
    )
    households = list(
        Member.objects.filter(
            is_active=True,
            full_time_student=True,
            education_level__in=STUDENT_AID_LEVELS,
            household__is_active=True,
            household__in=eligible,
        )
        .order_by("household_id")
        .values_list("household_id", flat=True)
        .distinct()
    )
    for start in range(0, len(households), chunk_size):
        chunk = households[start : start + chunk_size]
        aided = set(
            SharedRow.objects.filter(
                dataset="student_aid", household_id__in=chunk, row_date__gt=since, row_date__lte=on
            ).values_list("member_id", flat=True)
        )
        for household in household_snapshot_queryset().filter(pk__in=chunk).order_by("pk"):
            data = household_snapshot(household, as_of=on)
            try:
                result = evaluate(
                    validate_snapshot(data, shape_checked=True),
                    table.in_force(household.village.code, on),
                )
            except SnapshotInvalid:
                continue
            counted = {member.ref for member in result.members if member.counted}
            for member in data["members"]:
                member_id = int(member["ref"])
                if (
                    member["ref"] in counted
                    and member["full_time_student"]
                    and member.get("education_level") in STUDENT_AID_LEVELS
                    and member_id not in aided
                ):
                    yield StudentWithoutAid(
                        household.pk, member_id, household.village.code, member["education_level"]
                    )


def student_aid_missing_detail(candidate: StudentWithoutAid, *, on: date) -> str:
    since = months_before(on, 12) + timedelta(days=1)
    level = EducationLevel(candidate.level).label
    return f"{level}在读，{since.isoformat()}至{on.isoformat()}无学生资助记录"


# The annual city check's sample ------------------------------------------------------------------


def sample_households(
    candidates: Mapping[str, Iterable[int]], *, seed: str, shares: Mapping[str, Decimal]
) -> dict[str, list[int]]:
    """Per town (by code): its share (a percentage, rounded up to whole households) of its candidate
    households, drawn with a generator seeded by the plan's seed and the town's code — the same seed and
    households give the same sample, and one town's draw does not depend on the others'."""
    picked: dict[str, list[int]] = {}
    for town_code, ids in candidates.items():
        population = sorted(set(ids))
        share = Decimal(shares.get(town_code, 0))
        count = min(len(population), math.ceil(Decimal(len(population)) * share / 100))
        draw = random.Random(f"{seed}:{town_code}")  # noqa: S311 - a reproducible sample, not a secret
        picked[town_code] = sorted(draw.sample(population, count))
    return picked


# Check tasks in a user's scope ---------------------------------------------------------------------


# The check task list's tabs (status filter and its words), read the same way by its export.
CHECK_TABS = (("open", "待核查"), ("done", "已核查"), ("all", "全部"))


def check_task_list(*, user: Any, status: str = "", on: date | None = None) -> QuerySet[CheckTask]:
    """The check tasks the user may read, open ones first (overdue first), then by due date; each with
    `overdue` (still open after its due date)."""
    qs = CheckTask.objects.filter(check_task_read_filter(user)).select_related(
        "household__village__parent", "plan", "town"
    )
    if status:
        qs = qs.filter(status=status)
    day = on or timezone.localdate()
    return qs.annotate(
        overdue=Case(
            When(Q(status=CheckStatus.OPEN) & Q(due_on__lt=day), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("status", "-overdue", "due_on", "pk")


def check_tasks_open(user: Any, on: date) -> QuerySet[CheckTask]:
    """The open check tasks in the user's scope on a day, overdue first (for the desks): each with
    `overdue`."""
    return check_task_list(user=user, status=CheckStatus.OPEN, on=on)


def check_task_detail(*, user: Any, pk: int) -> CheckTask | None:
    return (
        CheckTask.objects.filter(check_task_read_filter(user), pk=pk)
        .select_related(
            "household__village__parent", "plan", "town", "opened_by", "recorded_by", "adjustment"
        )
        .first()
    )


def check_plan_list() -> QuerySet[CheckPlan]:
    return CheckPlan.objects.select_related("created_by").annotate(
        task_count=Count("tasks"),
        done_count=Count("tasks", filter=Q(tasks__status=CheckStatus.DONE)),
    )


def plan_progress(plan: CheckPlan, *, on: date) -> list[dict[str, Any]]:
    """Per town: tasks, done, open, overdue (one query)."""
    return list(
        plan.tasks.values("town__name", "town__code")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=CheckStatus.DONE)),
            open=Count("pk", filter=Q(status=CheckStatus.OPEN)),
            overdue=Count("pk", filter=Q(status=CheckStatus.OPEN, due_on__lt=on)),
        )
        .order_by("town__code")
    )


def result_counts(plan: CheckPlan) -> dict[str, int]:
    return dict(
        plan.tasks.filter(status=CheckStatus.DONE)
        .values_list("result")
        .annotate(n=Count("pk"))
        .values_list("result", "n")
    )
