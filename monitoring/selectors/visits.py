"""Visits due and overdue (DESIGN §3.6): reads in the user's scope, and the pure date rule.

A household with an enrollment in force on a date is due a visit every `visit_interval_months_tekun_dibao`
months (3) when one of its enrollments in force is 特困, 低保 or 单人户低保, else every
`visit_interval_months_others` months (6) — the §3.3 parameters in force for its village on that date.
The interval counts from its last visit on or before the date, or, when it was never visited since it
was enrolled, from the start of its enrollment (the earliest start among those in force).

On a date D a household is
- **overdue** (逾期) when its next visit was due before D;
- **due** (本月应巡访) when its next visit falls due on D or later in D's calendar month;
- otherwise not yet due.

The desks count `visits_due(user, on)` and `visits_overdue(user, on)`. Both read every enrolled household
in scope in a fixed number of queries (no query per household) and answer plain lists.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Subquery

from accounts.access import household_read_filter, villages_readable_filter
from accounts.models import OrgUnit
from eligibility.parameters import ParameterSet
from eligibility.selectors import ParameterTable
from households.models import Enrollment, Household, Member
from households.selectors.households import enrolled_on

from ..models import OverdueVisitSummary, Visit

# Enrolled in one of these, a household is visited every 3 months (the parameter); else every 6.
FREQUENT_CATEGORIES = ("tekun", "dibao", "dibao_single")

OVERDUE = "overdue"
DUE = "due"
LATER = "later"
STATUS_LABELS = {OVERDUE: "逾期未巡访", DUE: "本月应巡访", LATER: "未到期"}


def months_after(day: date, months: int) -> date:
    """The same day `months` months later; the month's last day when that day does not exist
    (2026-01-31 + 1 month = 2026-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def interval_months(parameters: ParameterSet, *, frequent: bool) -> int:
    if frequent:
        return parameters.visit_interval_months_tekun_dibao
    return parameters.visit_interval_months_others


def next_visit_due(*, last_visit: date | None, enrolled_since: date, months: int) -> date:
    """The day the next visit is due: `months` after the last visit, or after the enrollment's start when
    there has been no visit since then."""
    since = max(last_visit, enrolled_since) if last_visit is not None else enrolled_since
    return months_after(since, months)


def visit_status(next_due: date, on: date) -> str:
    """overdue (due before `on`), due (due on `on` or later in its month) or later."""
    if next_due < on:
        return OVERDUE
    if next_due <= date(on.year, on.month, calendar.monthrange(on.year, on.month)[1]):
        return DUE
    return LATER


@dataclass(frozen=True)
class VisitSchedule:
    """One enrolled household's visit schedule on a date."""

    household: Household  # with village and town loaded
    enrolled_since: date
    last_visit: date | None
    frequent: bool
    months: int
    next_due: date
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def village(self) -> Any:
        return self.household.village

    def days_overdue(self, on: date) -> int:
        return max((on - self.next_due).days, 0)


def schedules(households: Any, *, on: date, table: ParameterTable | None = None) -> list[VisitSchedule]:
    """The visit schedule on `on` of each household of `households` (a Household queryset) that has an
    enrollment in force on `on`; ordered by village and due date. Three queries whatever the count."""
    in_force = Enrollment.objects.filter(enrolled_on(on), household_id=OuterRef("pk"))
    rows = (
        households.filter(is_active=True)
        .annotate(
            enrolled_since=Subquery(in_force.order_by("start_date").values("start_date")[:1]),
            frequent=Exists(in_force.filter(category__in=FREQUENT_CATEGORIES)),
            last_visit=Subquery(
                Visit.objects.filter(household_id=OuterRef("pk"), visited_on__lte=on)
                .order_by("-visited_on")
                .values("visited_on")[:1]
            ),
            head_name=Subquery(
                Member.objects.filter(household_id=OuterRef("pk"), relation="applicant", is_active=True)
                .order_by("pk")
                .values("name")[:1]
            ),
        )
        .filter(enrolled_since__isnull=False)
        .select_related("village__parent")
    )
    table = table or ParameterTable.load()
    by_region: dict[str, ParameterSet] = {}
    result = []
    for household in rows:
        region = household.village.code
        if region not in by_region:
            by_region[region] = table.in_force(region, on)
        months = interval_months(by_region[region], frequent=household.frequent)
        next_due = next_visit_due(
            last_visit=household.last_visit, enrolled_since=household.enrolled_since, months=months
        )
        result.append(
            VisitSchedule(
                household=household,
                enrolled_since=household.enrolled_since,
                last_visit=household.last_visit,
                frequent=household.frequent,
                months=months,
                next_due=next_due,
                status=visit_status(next_due, on),
            )
        )
    result.sort(key=lambda s: (s.household.village.code, s.next_due, s.household.household_number))
    return result


def visit_schedules(
    user: Any, on: date, *, village_id: int | None = None, statuses: tuple[str, ...] = (OVERDUE, DUE)
) -> list[VisitSchedule]:
    """The schedules in `user`'s scope (village staff their village, the town its town, the bureaus the
    city) with one of `statuses`, optionally of one village."""
    households = Household.objects.filter(household_read_filter(user))
    if village_id is not None:
        households = households.filter(village_id=village_id)
    return [s for s in schedules(households, on=on) if s.status in statuses]


def visits_due(user: Any, on: date) -> list[VisitSchedule]:
    """Households in scope whose next visit falls due on `on` or later in its month (not yet overdue)."""
    return visit_schedules(user, on, statuses=(DUE,))


def visits_overdue(user: Any, on: date) -> list[VisitSchedule]:
    """Households in scope whose next visit was due before `on`."""
    return visit_schedules(user, on, statuses=(OVERDUE,))


def household_visits(*, user: Any, household: Household, limit: int = 20) -> list[Visit]:
    """A household's visits, newest first, when the user may read the household."""
    if not Household.objects.filter(household_read_filter(user), pk=household.pk).exists():
        return []
    return list(Visit.objects.filter(household=household).select_related("recorded_by")[:limit])


def visit_detail(*, user: Any, pk: int) -> Visit | None:
    return (
        Visit.objects.filter(household_read_filter(user, prefix="household__"), pk=pk)
        .select_related("household__village__parent", "recorded_by")
        .first()
    )


def overdue_visit_summaries(user: Any, week_of: date) -> Any:
    """The weekly job's summaries of the week starting on Monday `week_of`, for the villages in the user's
    scope (a queryset of OverdueVisitSummary: village, overdue count, the households listed)."""
    villages = OrgUnit.objects.filter(villages_readable_filter(user)).values("pk")
    return (
        OverdueVisitSummary.objects.filter(week_of=week_of, village__in=villages)
        .select_related("village__parent")
        .order_by("village__code")
    )
