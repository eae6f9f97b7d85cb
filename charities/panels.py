"""The household page's section of social forces (households/panels.py): the family's recorded needs,
what each was matched to, and the help given."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.access import can_match_needs, can_record_needs
from households.models import Household

from .selectors import household_needs


def household_needs_panel(request: HttpRequest, household: Household) -> dict[str, Any] | None:
    can_record = can_record_needs(request.user, household)
    needs = household_needs(household=household)
    if not needs and not can_record:
        return None
    return {
        "household": household,
        "needs": needs,
        "can_record": can_record,
        "can_match": can_match_needs(request.user, household),
    }
