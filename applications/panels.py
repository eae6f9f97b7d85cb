"""The household page's section of cases (households/panels.py): every case of the household the viewer
may read, newest first, so that a clerk sees from the family's page what was applied for and decided."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from households.models import Household

from .selectors import application_list


def household_cases(request: HttpRequest, household: Household) -> dict[str, Any] | None:
    cases = list(application_list(user=request.user).filter(household=household)[:50])
    return {"cases": cases} if cases else None
