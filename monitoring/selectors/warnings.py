"""Reads of warnings in the user's scope."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.access import warning_read_filter

from ..glossary import WarningStatus
from ..models import Warning


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


def warning_page(*, user: Any, status: str, number: Any, per_page: int) -> Page[Warning]:
    """One page of warning_list: its ids sorted from the warnings alone (a town's from the (town, status,
    due date) index), then those rows with their households, members and units. Sorting first and
    joining after keeps a town's page from joining every household of the city (issue 22)."""
    qs = warning_list(user=user, status=status)
    page = Paginator(qs.select_related(None), per_page).get_page(number)
    bottom = (page.number - 1) * per_page
    if not page.paginator.count:
        return page
    ids = list(qs.select_related(None).values_list("pk", flat=True)[bottom : bottom + per_page])
    found = {warning.pk: warning for warning in qs.filter(pk__in=ids)}
    page.object_list = [found[pk] for pk in ids]
    return page


def warning_detail(*, user: Any, pk: int) -> Warning | None:
    return (
        Warning.objects.filter(warning_read_filter(user), pk=pk)
        .select_related(
            "household__village__parent", "member", "assignee", "source_row__dataset_import", "adjustment"
        )
        .prefetch_related("events__actor")
        .first()
    )
