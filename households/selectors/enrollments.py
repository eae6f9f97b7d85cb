"""Reads of enrollments for the household page: per category the current amount, since when, a gradual
exit, the amount history; and the enrollments that ended, with date and reason. The caller has already
checked that the user may read the household (households.selectors.household_detail)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ..models import Enrollment, Household


@dataclass(frozen=True)
class AmountChange:
    amount: Decimal
    since: date
    by: str  # who set it ("" when unknown)


@dataclass(frozen=True)
class EnrollmentView:
    enrollment: Enrollment
    amounts: tuple[AmountChange, ...]  # newest first; the first is the current amount

    @property
    def current_amount(self) -> AmountChange | None:
        return self.amounts[0] if self.amounts else None


@dataclass(frozen=True)
class HouseholdEnrollments:
    active: tuple[EnrollmentView, ...]
    ended: tuple[EnrollmentView, ...]
    upcoming: tuple[EnrollmentView, ...]  # starting after today

    @property
    def monthly_total(self) -> Decimal:
        return sum(
            (v.enrollment.monthly_amount for v in self.active if v.enrollment.monthly_amount is not None),
            Decimal(0),
        )


def _amounts(history: Iterable[Any]) -> tuple[AmountChange, ...]:
    """The amounts an enrollment has had, newest first, each with its start date and who set it."""
    changes: list[AmountChange] = []
    seen: set[tuple[Decimal, date]] = set()
    for row in history:  # newest first
        if row.monthly_amount is None or row.amount_since is None:
            continue
        key = (row.monthly_amount, row.amount_since)
        if key not in seen:
            seen.add(key)
            user = row.history_user
            changes.append(AmountChange(row.monthly_amount, row.amount_since, str(user) if user else ""))
    return tuple(changes)


def household_enrollments(*, household: Household, on: date | None = None) -> HouseholdEnrollments:
    """Every enrollment of the household, split by its state on `on` (today), in a fixed number of queries."""
    on = on or timezone.localdate()
    rows = list(
        Enrollment.objects.filter(household=household)
        .select_related("member")
        .order_by("category", "member_id", "-start_date")
    )
    history: dict[int, list[Any]] = defaultdict(list)
    for row in (
        Enrollment.history.filter(id__in=[e.pk for e in rows])
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    ):
        history[row.id].append(row)
    active, ended, upcoming = [], [], []
    for enrollment in rows:
        view = EnrollmentView(enrollment, _amounts(history[enrollment.pk]))
        if enrollment.end_date is not None and enrollment.end_date <= on:
            ended.append(view)
        elif enrollment.start_date > on:
            upcoming.append(view)
        else:
            active.append(view)
    ended.sort(key=lambda v: v.enrollment.end_date or on, reverse=True)
    return HouseholdEnrollments(tuple(active), tuple(ended), tuple(upcoming))
