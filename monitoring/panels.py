"""The household page's section of visits (households/panels.py): the visit schedule on today's date, the
latest visits, and the button to record one for those who may."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from accounts.access import can_record_visit
from eligibility.errors import ParametersMissing
from households.models import Household

from .visits import household_visits, schedules


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
