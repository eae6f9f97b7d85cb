"""The figures of the dashboards and of `GET /api/v1/stats/overview/` (DESIGN §3.10, §5), in one place so
that the page, the API and the report never disagree.

Every figure is an aggregate over the caller's scope (`accounts.access.household_read_filter`, narrowed to
one town when a town is chosen): the number of queries does not grow with the data. Stocks (households and
people by category, the overlap, open cases by stage) are counted on one day; flows (cases decided,
notices, warnings, deliveries) over a period.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.access import household_read_filter, scope_of
from accounts.models import OrgUnit
from applications.glossary import OPEN_STAGES, Kind, Procedure, Stage
from applications.models import Application
from households.glossary import AssistanceKind, Category
from households.models import AssistanceRecord, Enrollment
from households.selectors.households import enrolled_on, readable_towns, readable_villages
from monitoring.glossary import ImportStatus, WarningStatus, WarningType
from monitoring.models import DatasetImport, SharedRow, Warning, WarningEvent
from monitoring.selectors.visits import visits_overdue
from monitoring.services.deliveries import delivering_departments
from publicity.glossary import ItemOutcome
from publicity.models import Notice, NoticeItem, Objection
from workdays.selectors import workday_calendar

# The civil-affairs categories whose overlap with monitoring the filing marks (DESIGN §3.2, §5).
OVERLAP_CATEGORIES = ("tekun", "dibao", "dibao_single", "marginal", "rigid_expense")
# The stages of a case still open (the overview counts these), in the order of the case.
OPEN_STAGE_CODES = tuple(code for code in Stage.values if code in OPEN_STAGES)
# The overall deadline by procedure, in working days after acceptance (DESIGN §3.4).
DECISION_LIMIT: dict[str, int] = {Procedure.COMMITMENT: 10, Procedure.REGULAR: 20}
HANDLED_STATES = (WarningStatus.HANDLED, WarningStatus.CLOSED)
OPEN_WARNING_STATES = (WarningStatus.OPEN, WarningStatus.IN_PROGRESS)


def may_read_stats(user: Any) -> bool:
    """Dashboards are for those who read households: the two bureaus (whole city), the town roles (their
    town) and village staff (their village). A department reads no household figure."""
    return scope_of(user).reads_any_household


@dataclass(frozen=True)
class StatsScope:
    """Whose figures: the user's scope, narrowed to one town when one is chosen."""

    user: Any
    town_id: int | None = None

    def filter(self, prefix: str = "") -> Q:
        """A filter on anything that reaches a household (`prefix` "household__") or a village (a notice:
        prefix "")."""
        q = household_read_filter(self.user, prefix=prefix)
        if self.town_id:
            q &= Q(**{f"{prefix}village__parent_id": self.town_id})
        return q


def stats_scope(user: Any, town: int | str | None = None) -> StatsScope:
    """The scope for a user and an optional town filter; a town outside the user's scope is ignored (the
    figures stay the user's own)."""
    try:
        town_id = int(town) if town else None
    except (TypeError, ValueError):
        town_id = None
    if town_id and not readable_towns(user=user).filter(pk=town_id).exists():
        town_id = None
    return StatsScope(user=user, town_id=town_id)


def _zeros(codes: tuple[str, ...] | list[str]) -> dict[str, int]:
    return dict.fromkeys(codes, 0)


# Stocks on a day: the overview of DESIGN §5 ---------------------------------------------------------


def _active_enrollments(scope: StatsScope, on: date) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(enrolled_on(on), scope.filter("household__"), household__is_active=True)


def category_figures(scope: StatsScope, on: date) -> tuple[dict[str, int], dict[str, int]]:
    """Households with an active enrollment per category (a member-level category counts the household
    once) and the people of those households (their active members). One query."""
    households = _zeros(Category.values)
    people = _zeros(Category.values)
    rows = (
        _active_enrollments(scope, on)
        .values("category")
        .annotate(
            households=Count("household_id", distinct=True),
            people=Count("household__members", filter=Q(household__members__is_active=True), distinct=True),
        )
    )
    for row in rows:
        households[row["category"]] = row["households"]
        people[row["category"]] = row["people"]
    return households, people


def overlap_figures(scope: StatsScope, on: date) -> dict[str, int]:
    """For each civil-affairs category, the households also enrolled as monitoring. One query."""
    monitored = Enrollment.objects.filter(enrolled_on(on), category="monitoring").values("household_id")
    overlap = _zeros(OVERLAP_CATEGORIES)
    rows = (
        _active_enrollments(scope, on)
        .filter(category__in=OVERLAP_CATEGORIES, household_id__in=monitored)
        .values("category")
        .annotate(n=Count("household_id", distinct=True))
    )
    for row in rows:
        overlap[row["category"]] = row["n"]
    return overlap


def open_cases_query(scope: StatsScope) -> QuerySet[Application]:
    return Application.objects.filter(scope.filter("household__"), stage__in=OPEN_STAGE_CODES)


def cases_by_stage(scope: StatsScope) -> dict[str, int]:
    """Open cases per stage, every open stage present. One query."""
    counts = _zeros(OPEN_STAGE_CODES)
    for row in open_cases_query(scope).values("stage").annotate(n=Count("pk")):
        counts[row["stage"]] = row["n"]
    return counts


def cases_by_stage_and_kind(scope: StatsScope) -> dict[str, dict[str, int]]:
    """Open cases per stage, split into applications and adjustments (动态调整). One query."""
    counts = {code: _zeros(Kind.values) for code in OPEN_STAGE_CODES}
    for row in open_cases_query(scope).values("stage", "kind").annotate(n=Count("pk")):
        counts[row["stage"]][row["kind"]] = row["n"]
    return counts


def overview(scope: StatsScope, on: date | None = None) -> dict[str, Any]:
    """`GET /api/v1/stats/overview/` exactly (DESIGN §5). Four queries."""
    day = on or timezone.localdate()
    households, people = category_figures(scope, day)
    return {
        "as_of": day.isoformat(),
        "households_by_category": households,
        "people_by_category": people,
        "overlap": overlap_figures(scope, day),
        "cases_by_stage": cases_by_stage(scope),
    }


# The dashboard's breakdowns -------------------------------------------------------------------------


@dataclass
class PlaceRow:
    """One town or village with its households (and people) per category."""

    unit: OrgUnit
    is_town: bool
    households: dict[str, int] = field(default_factory=lambda: _zeros(Category.values))
    people: dict[str, int] = field(default_factory=lambda: _zeros(Category.values))

    @property
    def cells(self) -> list[tuple[str, int, int]]:
        return [(code, self.households[code], self.people[code]) for code in Category.values]


def by_place(scope: StatsScope, on: date) -> list[PlaceRow]:
    """Households and people per category for each town, then each of its villages. Two queries."""
    villages = readable_villages(user=scope.user)
    if scope.town_id:
        villages = villages.filter(parent_id=scope.town_id)
    village_rows = {v.pk: PlaceRow(unit=v, is_town=False) for v in villages}
    rows = (
        _active_enrollments(scope, on)
        .values("household__village_id", "category")
        .annotate(
            households=Count("household_id", distinct=True),
            people=Count("household__members", filter=Q(household__members__is_active=True), distinct=True),
        )
    )
    for row in rows:
        place = village_rows.get(row["household__village_id"])
        if place is not None:
            place.households[row["category"]] = row["households"]
            place.people[row["category"]] = row["people"]
    # A household lives in one village: a town's figures are the sum of its villages'.
    result: list[PlaceRow] = []
    towns: dict[int, PlaceRow] = {}
    for place in village_rows.values():
        town = place.unit.parent
        if town is None:
            continue
        if town.pk not in towns:
            towns[town.pk] = PlaceRow(unit=town, is_town=True)
        for code in Category.values:
            towns[town.pk].households[code] += place.households[code]
            towns[town.pk].people[code] += place.people[code]
    for town_id, town_row in sorted(towns.items(), key=lambda item: item[1].unit.code):
        result.append(town_row)
        result.extend(
            sorted(
                (p for p in village_rows.values() if p.unit.parent_id == town_id), key=lambda p: p.unit.code
            )
        )
    return result


@dataclass(frozen=True)
class OverlapRow:
    code: str
    label: str
    total: int
    with_monitoring: int

    @property
    def without_monitoring(self) -> int:
        return self.total - self.with_monitoring


def overlap_matrix(households: dict[str, int], overlap: dict[str, int]) -> list[OverlapRow]:
    return [
        OverlapRow(code, Category(code).label, households[code], overlap[code]) for code in OVERLAP_CATEGORIES
    ]


def _share(part: int, whole: int) -> str:
    """A percentage with one decimal, as people read it ("—" when there is nothing to divide)."""
    if not whole:
        return "—"
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class DecidedCase:
    pk: int
    case_number: str
    applicant: str
    town: str
    procedure: str
    accepted_on: date
    decided_on: date
    working_days: int
    limit: int

    @property
    def late(self) -> bool:
        return self.working_days > self.limit


@dataclass(frozen=True)
class Timeliness:
    decided: int
    within: int
    share: str
    median: float | None
    by_procedure: list[tuple[str, int, int, int, str]]  # label, limit, decided, within, share
    late: list[DecidedCase]


def decided_query(scope: StatsScope, start: date, end: date) -> QuerySet[Application]:
    """Cases decided (approved or rejected by the town) in the period, with an acceptance date."""
    return Application.objects.filter(
        scope.filter("household__"), decided_on__gte=start, decided_on__lte=end, accepted_on__isnull=False
    )


def timeliness(scope: StatsScope, start: date, end: date) -> Timeliness:
    """The cases decided in the period and the share decided within 10 (commitment) or 20 (regular)
    working days of acceptance; the median in working days; the late ones by name. Three queries (the
    cases, the calendar's two)."""
    calendar = workday_calendar()
    cases = []
    for row in (
        decided_query(scope, start, end)
        .values(
            "pk", "case_number", "applicant__name", "town__name", "procedure", "accepted_on", "decided_on"
        )
        .order_by("decided_on", "pk")
    ):
        # Both set: the query asks for an acceptance date and a decision in the period.
        accepted, decided = cast(date, row["accepted_on"]), cast(date, row["decided_on"])
        days, _ = calendar.working_days_between(accepted, decided)
        cases.append(
            DecidedCase(
                pk=row["pk"],
                case_number=row["case_number"],
                applicant=row["applicant__name"],
                town=row["town__name"],
                procedure=row["procedure"],
                accepted_on=accepted,
                decided_on=decided,
                working_days=days,
                limit=DECISION_LIMIT.get(row["procedure"], 20),
            )
        )
    within = sum(1 for c in cases if not c.late)
    by_procedure = []
    for procedure, limit in DECISION_LIMIT.items():
        mine = [c for c in cases if c.procedure == procedure]
        ok = sum(1 for c in mine if not c.late)
        by_procedure.append((Procedure(procedure).label, limit, len(mine), ok, _share(ok, len(mine))))
    return Timeliness(
        decided=len(cases),
        within=within,
        share=_share(within, len(cases)),
        median=statistics.median(c.working_days for c in cases) if cases else None,
        by_procedure=by_procedure,
        late=[c for c in cases if c.late],
    )


@dataclass(frozen=True)
class NoticeFigures:
    posted: int
    closed: int
    cases_noticed: int
    objections: int
    cases_objected: int


def notice_figures(scope: StatsScope, start: date, end: date) -> NoticeFigures:
    """Notices posted and closed in the period, the cases they carried, the objections received in the
    period and the cases an objection sent back to investigation. Three queries."""
    notices = Notice.objects.filter(scope.filter()).aggregate(
        posted=Count("pk", filter=Q(posted_on__gte=start, posted_on__lte=end)),
        closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
    )
    items = NoticeItem.objects.filter(
        scope.filter("notice__"), notice__posted_on__gte=start, notice__posted_on__lte=end
    ).aggregate(
        cases=Count("application_id", distinct=True),
        objected=Count("application_id", filter=Q(outcome=ItemOutcome.OBJECTED), distinct=True),
    )
    objections = Objection.objects.filter(
        scope.filter("item__notice__"), received_on__gte=start, received_on__lte=end
    ).count()
    return NoticeFigures(
        posted=notices["posted"],
        closed=notices["closed"],
        cases_noticed=items["cases"],
        objections=objections,
        cases_objected=items["objected"],
    )


@dataclass(frozen=True)
class WarningRow:
    key: str
    label: str
    raised: int
    handled: int
    on_time: int
    due_or_handled: int
    overdue_open: int

    @property
    def on_time_share(self) -> str:
        return _share(self.on_time, self.due_or_handled)


def warnings_query(scope: StatsScope, start: date, end: date) -> QuerySet[Warning]:
    return Warning.objects.filter(scope.filter("household__"), raised_on__gte=start, raised_on__lte=end)


# "Handled on time", one definition for the dashboard and the pilot evaluation, stated under both figures:
# of the warnings whose outcome is known today (handled, or past their due date), the share handled
# (the day of the first feedback, Asia/Shanghai) by the due date. One not yet due and not yet handled
# can still be handled on time, so it counts neither way.
ON_TIME_RULE = "按时率 = 在办理期限内反馈的预警 ÷ 已反馈或已到期的预警（未到期且未反馈的不计入）。"


def warning_handled_on() -> TruncDate:
    """The day (Asia/Shanghai) a warning was first handled: annotate it as `handled_on`."""
    handled_at = (
        WarningEvent.objects.filter(warning=OuterRef("pk"), to_status=WarningStatus.HANDLED)
        .order_by("at")
        .values("at")[:1]
    )
    return TruncDate(Subquery(handled_at), tzinfo=timezone.get_current_timezone())


def warning_timeliness(today: date) -> dict[str, Count]:
    """The counts behind ON_TIME_RULE over warnings annotated with `handled_on`: the share on time is
    `on_time / due_or_handled`."""
    return {
        "handled": Count("pk", filter=Q(status__in=HANDLED_STATES)),
        "on_time": Count("pk", filter=Q(status__in=HANDLED_STATES, handled_on__lte=F("due_on"))),
        "due_or_handled": Count("pk", filter=Q(status__in=HANDLED_STATES) | Q(due_on__lt=today)),
        "overdue_open": Count("pk", filter=Q(status__in=OPEN_WARNING_STATES, due_on__lt=today)),
    }


def _warning_rows(scope: StatsScope, start: date, end: date, today: date, by: str) -> list[dict[str, Any]]:
    return list(
        warnings_query(scope, start, end)
        .annotate(handled_on=warning_handled_on())
        .values(by)
        .annotate(raised=Count("pk"), **warning_timeliness(today))
        .order_by(by)
    )


def _warning_row(key: str, label: str, row: dict[str, Any]) -> WarningRow:
    return WarningRow(
        key=key,
        label=label,
        raised=row["raised"],
        handled=row["handled"],
        on_time=row["on_time"],
        due_or_handled=row["due_or_handled"],
        overdue_open=row["overdue_open"],
    )


def warnings_by_type(scope: StatsScope, start: date, end: date, today: date) -> list[WarningRow]:
    """Warnings raised in the period per type: handled, handled by the due date (the day of the feedback),
    and the share handled on time among those handled or already due; open ones past due. One query."""
    rows = {r["type"]: r for r in _warning_rows(scope, start, end, today, "type")}
    return [
        _warning_row(code, WarningType(code).label, rows[code]) for code in WarningType.values if code in rows
    ]


def warnings_by_assignee(scope: StatsScope, start: date, end: date, today: date) -> list[WarningRow]:
    """The same per unit that must act (a department, or the household's town). Two queries."""
    rows = _warning_rows(scope, start, end, today, "assignee_id")
    names = dict(OrgUnit.objects.filter(pk__in=[r["assignee_id"] for r in rows]).values_list("pk", "name"))
    return [_warning_row(str(r["assignee_id"]), names.get(r["assignee_id"], ""), r) for r in rows]


@dataclass(frozen=True)
class AssistanceRow:
    code: str
    label: str
    records: int
    households: int
    amount: Decimal


def assistance_query(scope: StatsScope, start: date, end: date) -> QuerySet[AssistanceRecord]:
    """Assistance received in the period by members of households in scope (DESIGN §3.8): the
    departments' records from shared data, the town's hand entries and temporary assistance, and the help
    of social forces (社会力量帮扶)."""
    return AssistanceRecord.objects.filter(
        scope.filter("household__"), received_on__gte=start, received_on__lte=end
    )


def assistance_by_kind(scope: StatsScope, start: date, end: date) -> list[AssistanceRow]:
    """Per kind of assistance: records, households helped and the money (yuan; help in kind has none).
    One query."""
    rows = {
        r["kind"]: r
        for r in assistance_query(scope, start, end)
        .values("kind")
        .annotate(records=Count("pk"), households=Count("household_id", distinct=True), amount=Sum("amount"))
    }
    return [
        AssistanceRow(
            code,
            AssistanceKind(code).label,
            rows[code]["records"],
            rows[code]["households"],
            rows[code]["amount"] or Decimal("0.00"),
        )
        for code in AssistanceKind.values
        if code in rows
    ]


def visits_overdue_by_village(scope: StatsScope, on: date) -> list[tuple[OrgUnit, int]]:
    """Enrolled households whose follow-up visit is overdue on `on` (DESIGN §3.6 visits), per village in
    scope: the visit schedules' own selector (a fixed number of queries), grouped here."""
    counts: dict[int, int] = defaultdict(int)
    villages: dict[int, OrgUnit] = {}
    for schedule in visits_overdue(scope.user, on):
        village = schedule.household.village
        if scope.town_id and village.parent_id != scope.town_id:
            continue
        counts[village.pk] += 1
        villages[village.pk] = village
    return [(villages[pk], counts[pk]) for pk in sorted(villages, key=lambda pk: villages[pk].code)]


def months_between(start: date, end: date) -> list[str]:
    """The periods (YYYY-MM) from the month of `start` to the month of `end`."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class DeliveryRow:
    department: OrgUnit
    by_month: list[tuple[str, int, int, int]]  # period, files, rows delivered, rows matched in scope

    @property
    def missing(self) -> list[str]:
        return [period for period, files, _, _ in self.by_month if not files]


def deliveries(scope: StatsScope, start: date, end: date) -> tuple[list[str], list[DeliveryRow]]:
    """Per delivering department and month of the period: the files imported and their rows (the city's
    figure: a department delivers for the whole city), and the rows matched to households in scope.
    Three queries."""
    months = months_between(start, end)
    files: dict[tuple[int, str], tuple[int, int]] = {}
    for row in (
        DatasetImport.objects.filter(status=ImportStatus.DONE, period__in=months)
        .values("department_id", "period")
        .annotate(files=Count("pk"), rows=Sum("rows"))
    ):
        files[(row["department_id"], row["period"])] = (row["files"], row["rows"] or 0)
    matched: dict[tuple[int, str], int] = defaultdict(int)
    for row in (
        SharedRow.objects.filter(scope.filter("household__"), period__in=months)
        .values("dataset_import__department_id", "period")
        .annotate(n=Count("pk"))
    ):
        matched[(row["dataset_import__department_id"], row["period"])] = row["n"]
    result = []
    for department in delivering_departments():
        by_month = []
        for period in months:
            n_files, n_rows = files.get((department.pk, period), (0, 0))
            by_month.append((period, n_files, n_rows, matched[(department.pk, period)]))
        result.append(DeliveryRow(department=department, by_month=by_month))
    return months, result
