"""The household page's section of special assistance (households/panels.py, DESIGN §3.8): per member,
everything received by year, and the member's medical-assistance ratio (the most favorable of the
member's categories, §3.3). Registered here because the ratio is eligibility's and households may not
import eligibility."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from accounts.access import can_record_assistance
from households.models import Household
from households.selectors.assistance import household_assistance

from .errors import ParametersMissing
from .selectors import household_medical_assistance_ratios


def household_assistance_panel(request: HttpRequest, household: Household) -> dict[str, Any] | None:
    members = household_assistance(household=household)
    if not members:
        return None
    try:
        ratios = household_medical_assistance_ratios(household=household, on=timezone.localdate())
        parameters_missing = False
    except ParametersMissing:
        ratios, parameters_missing = {}, True
    rows = [
        {
            "view": m,
            "ratio": ratios.get(m.member.pk, (None, ""))[0],
            "basis": ratios.get(m.member.pk, (None, ""))[1],
        }
        for m in members
    ]
    return {
        "members": rows,
        "parameters_missing": parameters_missing,
        "can_record": can_record_assistance(request.user, household),
        "household": household,
    }
