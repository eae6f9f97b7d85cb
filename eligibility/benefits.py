"""Monthly cash benefits (DESIGN §3.7): pure, no database.

From the snapshot, the engine's membership and category result and the parameters in force on the
snapshot's date:

- 低保 `dibao` (household): standard × the counted members who are not 特困 − those members' monthly
  income (annual ÷ 12), not below 0;
- 单人户低保 `dibao_single` (member): standard − the member's monthly income, not below 0;
- 特困 `tekun` (member): the 特困 basic living standard, `tekun_standard_multiplier` × the 低保 standard.

The standard is the 低保 monthly standard for the household's hukou type. Every figure is computed exactly
(as 12 × the amount, so that "annual ÷ 12" loses nothing) and rounded to whole yuan half-up only at the end.
低保边缘, 刚性支出 and monitoring carry no cash benefit. Entries come in category order (特困 members, the
household's 低保, 单人户低保 members), members in snapshot order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import MAX_PREC, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from math import floor
from typing import Any, Protocol

from eligibility.parameters import ParameterSet
from eligibility.snapshot import Snapshot

CASH_CATEGORIES = ("tekun", "dibao", "dibao_single")
CENTS = Decimal("0.01")
# Sums and products are exact at this precision; the only division is an integer one.
_EXACT = Context(prec=MAX_PREC, rounding=ROUND_HALF_UP)
_TWELVE = Decimal(12)
_SIX = Decimal(6)


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


def _whole_twelfths(twelve_times: Decimal) -> Decimal:
    """`whole_yuan` of an amount given as 12 × the amount (exact), without a Fraction: half-up rounding
    of x ÷ 12 is ⌊(x + 6) ÷ 12⌋; a truncating integer division differs from ⌊⌋ only below 0, clipped."""
    whole = int(_EXACT.divide_int(_EXACT.add(twelve_times, _SIX), _TWELVE))
    return Decimal(max(whole, 0)).quantize(CENTS)


def compute_benefits(
    snapshot: Snapshot,
    members: Sequence[MemberOutcome],
    categories: Iterable[str],
    parameters: ParameterSet,
    *,
    tekun_amount: Decimal | None = None,
) -> tuple[Benefit, ...]:
    """The cash benefits of an evaluation. `members` are the engine's results in snapshot order and
    `categories` the household's codes (member-level ones included, as the engine lists them).
    `tekun_amount` is `tekun_standard(parameters, snapshot.hukou_type)` when the caller has it already.

    Every amount is exact: 12 × (standard × n − Σ annual ÷ 12) = 12 × standard × n − Σ annual, in Decimal
    at full precision, then rounded as `whole_yuan` rounds (the same figures as exact fractions give)."""
    household_codes = categories if isinstance(categories, (set, frozenset)) else set(categories)
    benefits: list[Benefit] = []
    tekun = [m for m in members if "tekun" in m.categories]
    if tekun:
        amount = tekun_amount if tekun_amount is not None else tekun_standard(parameters, snapshot.hukou_type)
        benefits += [Benefit("tekun", m.ref, amount) for m in tekun]
    singles = [m for m in members if "dibao_single" in m.categories]
    if "dibao" not in household_codes and not singles:
        return tuple(benefits)
    twelve_standard = _EXACT.multiply(_TWELVE, parameters.dibao_standard(snapshot.hukou_type))
    income = {facts.ref: facts.annual_income for facts in snapshot.members}
    if "dibao" in household_codes:
        covered = [income[m.ref] for m in members if m.counted and "tekun" not in m.categories]
        total = Decimal(0)
        for amount in covered:
            total = _EXACT.add(total, amount)
        twelve_times = _EXACT.subtract(_EXACT.multiply(twelve_standard, Decimal(len(covered))), total)
        benefits.append(Benefit("dibao", None, _whole_twelfths(twelve_times)))
    benefits += [
        Benefit("dibao_single", m.ref, _whole_twelfths(_EXACT.subtract(twelve_standard, income[m.ref])))
        for m in singles
    ]
    return tuple(benefits)
