"""The household page's section of cases (households/panels.py): every case of the household the viewer
may read, newest first, so that a clerk sees from the family's page what was applied for and decided; and,
for the town's clerk of an enrolled household with no case running, the way to an adjustment (§3.7)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from households.models import Household
from households.selectors.households import active_enrollments

from .selectors import application_list, household_open_case
from .workflow import may_open_adjustment_for


def household_cases(request: HttpRequest, household: Household) -> dict[str, Any] | None:
    cases = list(application_list(user=request.user).filter(household=household)[:50])
    can_adjust = (
        may_open_adjustment_for(request.user, household)
        and active_enrollments(timezone.localdate()).filter(household=household).exists()
        and household_open_case(household) is None
    )
    return {"cases": cases, "can_adjust": can_adjust} if cases or can_adjust else None
