"""How an adjustment case names the warning, check or visit it came from (applications.sources)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.access import check_task_read_filter, household_read_filter, warning_read_filter
from applications.sources import SourceView

from .models import CheckTask, Visit, Warning


def warning_source(user: Any, pk: int) -> SourceView | None:
    warning = Warning.objects.filter(pk=pk).only("type", "raised_on").first()
    if warning is None:
        return None
    label = f"{warning.get_type_display()}预警（{warning.raised_on:%Y-%m-%d}）"
    readable = Warning.objects.filter(warning_read_filter(user), pk=pk).exists()
    return SourceView(label=label, url=reverse("monitoring:warning_detail", args=[pk]) if readable else "")


def check_source(user: Any, pk: int) -> SourceView | None:
    task = CheckTask.objects.filter(pk=pk).only("kind", "opened_on").first()
    if task is None:
        return None
    label = f"{task.get_kind_display()}（{task.opened_on:%Y-%m-%d}）"
    readable = CheckTask.objects.filter(check_task_read_filter(user), pk=pk).exists()
    return SourceView(label=label, url=reverse("monitoring:check_task", args=[pk]) if readable else "")


def visit_source(user: Any, pk: int) -> SourceView | None:
    visit = Visit.objects.filter(pk=pk).only("visited_on").first()
    if visit is None:
        return None
    label = f"巡访（{visit.visited_on:%Y-%m-%d}）"
    readable = Visit.objects.filter(household_read_filter(user, prefix="household__"), pk=pk).exists()
    return SourceView(label=label, url=reverse("monitoring:visit_detail", args=[pk]) if readable else "")
