"""FROZEN COPY of eligibility/engine.py before the fast path (the differential tests' oracle; never edit).

Monthly cash benefits (DESIGN §3.7): pure, no database.

From the snapshot, the engine's membership and category result and the parameters in force on the
snapshot's date:

- 低保 `dibao` (household): standard × the counted members who are not 特困 − those members' monthly
  income (annual ÷ 12), not below 0;
- 单人户低保 `dibao_single` (member): standard − the member's monthly income, not below 0;
- 特困 `tekun` (member): the 特困 basic living standard, `tekun_standard_multiplier` × the 低保 standard.

The standard is the 低保 monthly standard for the household's hukou type. Every figure is computed exactly
(as a fraction, so that "annual ÷ 12" loses nothing) and rounded to whole yuan half-up only at the end.
低保边缘, 刚性支出 and monitoring carry no cash benefit. Entries come in category order (特困 members, the
household's 低保, 单人户低保 members), members in snapshot order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any, Protocol

from eligibility.parameters import ParameterSet
from eligibility.snapshot import Snapshot

CASH_CATEGORIES = ("tekun", "dibao", "dibao_single")
CENTS = Decimal("0.01")


class MemberOutcome(Protocol):
    """What the engine says of one member (eligibility.engine.MemberResult has this shape)."""

    @property
    def ref(self) -> str: ...
    @property
    def counted(self) -> bool: ...
    @property
    def categories(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Benefit:
    category: str  # tekun, dibao, dibao_single
    member: str | None  # the member's ref for a member-level category, None for the household's 低保
    monthly_amount: Decimal  # whole yuan

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "member": self.member,
            "monthly_amount": str(self.monthly_amount),
        }


def whole_yuan(value: Fraction) -> Decimal:
    """Rounds an exact amount to whole yuan, half-up; never below 0. Shown with 2 places ("430.00")."""
    return Decimal(max(floor(value + Fraction(1, 2)), 0)).quantize(CENTS)


def tekun_standard(parameters: ParameterSet, hukou_type: str) -> Decimal:
    """特困 basic living standard, monthly, whole yuan."""
    exact = Fraction(parameters.tekun_standard_multiplier) * Fraction(parameters.dibao_standard(hukou_type))
    return whole_yuan(exact)


def compute_benefits(
    snapshot: Snapshot,
    members: Sequence[MemberOutcome],
    categories: Iterable[str],
    parameters: ParameterSet,
) -> tuple[Benefit, ...]:
    """The cash benefits of an evaluation. `members` are the engine's results in snapshot order and
    `categories` the household's codes (member-level ones included, as the engine lists them)."""
    household_codes = set(categories)
    standard = Fraction(parameters.dibao_standard(snapshot.hukou_type))
    income = {facts.ref: Fraction(facts.annual_income) for facts in snapshot.members}
    tekun = [m for m in members if "tekun" in m.categories]
    singles = [m for m in members if "dibao_single" in m.categories]

    benefits = [Benefit("tekun", m.ref, tekun_standard(parameters, snapshot.hukou_type)) for m in tekun]
    if "dibao" in household_codes:
        covered = [m.ref for m in members if m.counted and "tekun" not in m.categories]
        exact = standard * len(covered) - sum((income[ref] for ref in covered), Fraction(0)) / 12
        benefits.append(Benefit("dibao", None, whole_yuan(exact)))
    benefits += [Benefit("dibao_single", m.ref, whole_yuan(standard - income[m.ref] / 12)) for m in singles]
    return tuple(benefits)
