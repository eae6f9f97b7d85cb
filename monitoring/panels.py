"""The household page's section of checks (households/panels.py): the household's check tasks the viewer
may read, and for its town the form that opens an ad hoc check (不定期核查)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from accounts.access import can_work_check_tasks_in
from households.models import Household

from .check_forms import AdHocCheckForm
from .checks import check_task_list


def household_checks(request: HttpRequest, household: Household) -> dict[str, Any] | None:
    today = timezone.localdate()
    tasks = list(check_task_list(user=request.user, on=today).filter(household=household)[:20])
    may_open = can_work_check_tasks_in(request.user, household.village.parent_id)
    if not tasks and not may_open:
        return None
    return {
        "tasks": tasks,
        "household": household,
        "form": AdHocCheckForm() if may_open else None,
        "today": today,
    }
