"""The town's approval enrolls the household (DESIGN §3.7): glue between the case, the rules and the one
writer of enrollments (households.enrollments).

Every approved category is enrolled from the approval date; 特困 and 单人户低保 per approved member. The
monthly amounts are the cash benefits of the case's assessment (its snapshot and the parameters in force
on its date), computed for the categories the town approved: where the approval follows the engine they
are exactly the assessment's `benefits`; where the town departed from it (a written reason on the filing)
the same formula is applied to what was approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from eligibility.benefits import compute_benefits
from eligibility.selectors import ParameterTable
from eligibility.snapshot import validate_snapshot
from households.codes import CASH_CATEGORIES, MEMBER_CATEGORIES
from households.enrollments import enrollment_start
from households.models import Enrollment

from .models import Application, CategoryDecision


@dataclass(frozen=True)
class _Approved:
    ref: str
    counted: bool
    categories: tuple[str, ...]


def approved_amounts(
    application: Application, decisions: Sequence[CategoryDecision]
) -> dict[tuple[str, str | None], Decimal]:
    """(category, member ref or None) → monthly amount, for the approved cash categories."""
    assessment = application.assessment
    if assessment is None or not any(d.category in CASH_CATEGORIES for d in decisions):
        return {}
    snapshot = validate_snapshot(assessment.snapshot)
    parameters = ParameterTable.load().in_force(snapshot.region_code, snapshot.as_of)
    per_member = {(d.category, str(d.member_id)) for d in decisions if d.category in MEMBER_CATEGORIES}
    counted = {row["ref"]: row["counted"] for row in assessment.result.get("members", [])}
    members = [
        _Approved(
            ref=facts.ref,
            counted=counted.get(facts.ref, False),
            categories=tuple(code for code in ("tekun", "dibao_single") if (code, facts.ref) in per_member),
        )
        for facts in snapshot.members
    ]
    household_codes = {d.category for d in decisions if d.category not in MEMBER_CATEGORIES}
    return {
        (b.category, b.member): b.monthly_amount
        for b in compute_benefits(snapshot, members, household_codes, parameters)
    }


def enrollments_start_on_approval(
    *, application: Application, decisions: Sequence[CategoryDecision], start: date, acting_user: Any
) -> list[Enrollment]:
    """Starts an enrollment per approved category (per approved member for 特困 and 单人户低保)."""
    approved = [d for d in decisions if d.approved]
    amounts = approved_amounts(application, approved)
    started = []
    for decision in approved:
        ref = str(decision.member_id) if decision.category in MEMBER_CATEGORIES else None
        started.append(
            enrollment_start(
                household=application.household,
                category=decision.category,
                member=decision.member if ref else None,
                start=start,
                monthly_amount=amounts.get((decision.category, ref))
                if decision.category in CASH_CATEGORIES
                else None,
                acting_user=acting_user,
            )
        )
    return started
