"""Reads of cases, always through the user's scope (accounts.access)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.access import application_read_filter

from .glossary import OPEN_STAGES, DeadlineFlag, FilingStatus, Stage
from .models import Application, ApplicationEvent, Filing, Review


def application_list(*, user: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(application_read_filter(user))
        .select_related("household__village__parent", "applicant", "town")
        .order_by("-accepted_on", "-pk")
    )


def workbench(*, user: Any) -> dict[str, Any]:
    """The clerk's desk: open cases by stage, those due soon and those overdue."""
    open_cases = list(application_list(user=user).filter(stage__in=OPEN_STAGES))
    counts = Counter(case.stage for case in open_cases)
    return {
        "by_stage": [(Stage(stage), counts.get(stage, 0)) for stage in Stage.values if stage in OPEN_STAGES],
        "overdue": [c for c in open_cases if c.deadline_flag == DeadlineFlag.OVERDUE],
        "due_soon": [c for c in open_cases if c.deadline_flag == DeadlineFlag.DUE_SOON],
        "open_cases": open_cases,
        "recent_closed": list(
            application_list(user=user).exclude(stage__in=OPEN_STAGES).order_by("-updated_at")[:20]
        ),
    }


def application_detail(*, user: Any, pk: int) -> Application | None:
    return (
        Application.objects.filter(application_read_filter(user), pk=pk)
        .select_related(
            "household__village__parent", "applicant", "town", "accepted_by", "assessment", "investigation"
        )
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("approved_by").prefetch_related(
                    "attendees", "decisions__member"
                ),
            ),
            Prefetch("filings", queryset=Filing.objects.select_related("acted_by")),
            "investigation__team",
        )
        .first()
    )


def filing_queue(*, bureau: str, status: str = FilingStatus.PENDING) -> QuerySet[Filing]:
    return (
        Filing.objects.filter(bureau=bureau, status=status)
        .select_related("application__household__village__parent", "application__applicant")
        .order_by("filed_on", "pk")
    )
