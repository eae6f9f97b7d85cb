"""The monthly amounts of what the town approved (DESIGN §3.7): the cash benefits of the case's assessment
(its snapshot and the parameters in force on its date), computed for the categories approved. Where the
approval follows the engine they are exactly the assessment's `benefits`; where the town departed from it
(a written reason on the filing) the same formula is applied to what was approved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from eligibility.benefits import compute_benefits
from eligibility.selectors import ParameterTable
from eligibility.snapshot import validate_snapshot
from households.codes import CASH_CATEGORIES, MEMBER_CATEGORIES

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
