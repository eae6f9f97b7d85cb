"""The household page's sections owned by monitoring (households/panels.py):
- visits: the visit schedule on today's date, the latest visits, and the button to record one for those
  who may;
- checks: the household's check tasks the viewer may read, and for its town the form that opens an ad
  hoc check (不定期核查)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from accounts.access import can_record_visit, can_work_check_tasks_in
from eligibility.errors import ParametersMissing
from households.models import Household

from .forms.checks import AdHocCheckForm
from .selectors.checks import check_task_list
from .selectors.visits import household_visits, schedules


def household_visits_panel(request: HttpRequest, household: Household) -> dict[str, Any] | None:
    visits = household_visits(user=request.user, household=household)
    try:
        found = schedules(Household.objects.filter(pk=household.pk), on=timezone.localdate())
    except ParametersMissing:  # the bureau has not entered the intervals in force: no schedule to show
        found = []
    can_record = can_record_visit(request.user, household)
    if not visits and not found and not can_record:
        return None
    return {
        "household": household,
        "visits": visits,
        "schedule": found[0] if found else None,
        "can_record": can_record,
    }


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
