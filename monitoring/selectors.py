"""Reads for monitoring: the pool (one selector for matching, dashboards and lists), warnings and imports
in the user's scope, delivery summaries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.access import import_read_filter, warning_read_filter
from applications.glossary import Stage
from applications.models import Application
from households.models import Enrollment, Household, Member
from households.selectors import enrolled_on

from .glossary import WarningStatus
from .models import DatasetImport, DeliverySummary, Warning
from .parsing import months_before


def pool_filter(on: date) -> Q:
    """A filter on Household for the monitoring pool on a date (DESIGN §3.6): an enrollment in force (a
    gradual exit included), an application rejected in the 12 months before, or an enrollment that ended
    less than 24 months before.

    Each part is an EXISTS on the household's own rows, not `pk IN (subquery)`: PostgreSQL cannot turn
    three INs joined by OR into joins, and once the enrollments in force outgrow its hash memory (some
    hundred thousand) it re-read all of them for every household, which at the city's size never ended.
    An EXISTS is one index probe a household."""
    household = OuterRef("pk")
    active = Enrollment.objects.filter(enrolled_on(on), household_id=household)
    rejected = Application.objects.filter(
        household_id=household, stage=Stage.REJECTED, decided_on__gt=months_before(on, 12), decided_on__lte=on
    )
    ended = Enrollment.objects.filter(
        household_id=household, end_date__gt=months_before(on, 24), end_date__lte=on
    )
    return Q(Exists(active)) | Q(Exists(rejected)) | Q(Exists(ended))


def pool_households(*, on: date) -> QuerySet[Household]:
    return Household.objects.filter(pool_filter(on))


def pool_members(*, on: date) -> QuerySet[Member]:
    """The active members of pool households: the only people shared rows are matched to."""
    return Member.objects.filter(is_active=True, household__in=pool_households(on=on).values("pk"))


def warning_list(*, user: Any, status: str = "", today: date | None = None) -> QuerySet[Warning]:
    """Warnings in the user's scope; open ones overdue first, then by due date."""
    qs = Warning.objects.filter(warning_read_filter(user)).select_related(
        "household__village__parent", "member", "assignee"
    )
    if status == "active":
        qs = qs.exclude(status=WarningStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    day = today or timezone.localdate()
    return qs.annotate(
        overdue_rank=Case(
            When(
                Q(due_on__lt=day) & Q(status__in=[WarningStatus.OPEN, WarningStatus.IN_PROGRESS]),
                then=Value(0),
            ),
            When(status__in=[WarningStatus.OPEN, WarningStatus.IN_PROGRESS], then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("overdue_rank", "due_on", "pk")


def warning_detail(*, user: Any, pk: int) -> Warning | None:
    return (
        Warning.objects.filter(warning_read_filter(user), pk=pk)
        .select_related(
            "household__village__parent", "member", "assignee", "source_row__dataset_import", "adjustment"
        )
        .prefetch_related("events__actor")
        .first()
    )


def import_list(*, user: Any) -> QuerySet[DatasetImport]:
    return DatasetImport.objects.filter(import_read_filter(user)).select_related("department", "uploaded_by")


def import_detail(*, user: Any, pk: int) -> DatasetImport | None:
    return import_list(user=user).filter(pk=pk).first()


def delivery_summaries(*, department_ids: frozenset[int] | None = None) -> QuerySet[DeliverySummary]:
    qs = DeliverySummary.objects.select_related("department")
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    return qs.order_by("-period", "department__code")
