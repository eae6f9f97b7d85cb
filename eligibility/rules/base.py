"""What every rule shares: the reason, the exact wording of figures, the thresholds of a parameter set
and the household's figures."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import MAX_PREC, ROUND_HALF_UP, Context, Decimal, localcontext

from eligibility.benefits import tekun_standard
from eligibility.parameters import ParameterSet
from eligibility.snapshot import MemberFacts, Snapshot
from households import codes

CATEGORY_ORDER = codes.AUTOMATIC_CATEGORIES


CATEGORY_LABELS = codes.CATEGORY_LABELS


# Sums and products are exact at this precision, whatever the amounts; only quotients are rounded.
EXACT = Context(prec=MAX_PREC, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Reason:
    """One rule checked. `detail` is the staff's line with the exact comparison; `family_text` says in
    plain sentences what held (or, for a failed rule, only what failed) for the family's notice and the
    self-check; `member` is the snapshot ref of the member a member-level rule is about (else None)."""

    rule: str
    passed: bool
    detail: str
    member: str | None = None
    family_text: str = ""


def fmt(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=EXACT))


def pair(left: Decimal, right: Decimal) -> tuple[str, str]:
    """Both figures to 2 places, or more where 2 would show unequal figures as equal."""
    for places in range(2, 11):
        shown = fmt(left, places), fmt(right, places)
        if left == right or shown[0] != shown[1]:
            return shown
    return shown


_TESTS = {"<": Decimal.__lt__, "≤": Decimal.__le__, ">": Decimal.__gt__}


_NEGATED = {"<": "≥", "≤": ">", ">": "≤"}


def sentence(label_left: str, left: Decimal, op: str, holds: bool, label_right: str, right: Decimal) -> str:
    shown_left, shown_right = pair(left, right)
    return f"{label_left} {shown_left} {op if holds else _NEGATED[op]} {label_right} {shown_right}"


_ORDER_WORDS = {-1: "低于", 0: "等于", 1: "高于"}


def compare_order(left: Decimal, right: Decimal) -> int:
    return (left > right) - (left < right)


def said(label: str, value: Decimal, label_right: str, threshold: Decimal, *, order: int) -> str:
    """ "<label> 650.00 元，高于<label_right> 600.00 元": `order` is the exact comparison (-1, 0, 1)."""
    shown, shown_threshold = pair(value, threshold)
    return f"{label} {shown} 元，{_ORDER_WORDS[order]}{label_right} {shown_threshold} 元"


def who(member: MemberFacts) -> str:
    """How a reason names a member: the name when the snapshot gives one, else the caller's ref."""
    return member.name or f"成员 {member.ref}"


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def quotient(total: Decimal, divisor: int) -> Decimal:
    """total ÷ divisor, exact when it terminates, else to 28 significant digits past the total's own."""
    if not divisor:
        return Decimal(0)
    return Context(prec=len(total.as_tuple().digits) + 28).divide(total, Decimal(divisor))


@dataclass(frozen=True)
class Limits:
    """A parameter set's thresholds for one hukou type, computed once (exact: products only)."""

    standard: Decimal  # 低保 monthly
    standard_year: Decimal  # 12 × standard: per capita per year, and 特困's income limit
    marginal_year: Decimal  # marginal_multiplier × standard × 12
    disposable: Decimal
    monitoring: Decimal
    ratio: Decimal
    financial_dibao: Decimal  # months × standard, per capita
    financial_marginal: Decimal
    vehicle_value: Decimal  # vehicle_value_months × standard
    tekun_amount: Decimal  # 特困 basic living standard, monthly, whole yuan
    # By level ("dibao", "marginal"): (vehicles allowed, dwellings allowed, a business allowed).
    allowed: dict[str, tuple[int, int, bool]]


_LIMITS: dict[tuple[int, str], tuple[ParameterSet, Limits]] = {}


def limits_for(parameters: ParameterSet, hukou_type: str) -> Limits:
    key = (id(parameters), hukou_type)
    cached = _LIMITS.get(key)
    if cached is not None and cached[0] is parameters:
        return cached[1]
    std = parameters.dibao_standard(hukou_type)
    with localcontext(EXACT):
        limits = Limits(
            standard=std,
            standard_year=12 * std,
            marginal_year=parameters.marginal_multiplier * std * 12,
            disposable=parameters.disposable_income(hukou_type),
            monitoring=parameters.monitoring_standard_annual,
            ratio=parameters.rigid_expense_ratio,
            financial_dibao=parameters.financial_assets_months_dibao * std,
            financial_marginal=parameters.financial_assets_months_marginal * std,
            vehicle_value=parameters.vehicle_value_months * std,
            tekun_amount=tekun_standard(parameters, hukou_type),
            allowed={
                level: (
                    getattr(parameters, f"vehicles_allowed_{level}"),
                    getattr(parameters, f"dwellings_allowed_{level}"),
                    getattr(parameters, f"business_allowed_{level}"),
                )
                for level in ("dibao", "marginal")
            },
        )
    if len(_LIMITS) >= 64:  # parameter sets come and go (one per table load): keep the cache small
        _LIMITS.clear()
    _LIMITS[key] = (parameters, limits)  # the set is held, so its id cannot be reused while cached
    return limits


@dataclass(slots=True)
class Household:
    snapshot: Snapshot
    parameters: ParameterSet
    limits: Limits
    counted: tuple[MemberFacts, ...]
    total_income: Decimal
    size: int = field(init=False)  # the counted members

    def __post_init__(self) -> None:
        self.size = len(self.counted)

    @property
    def standard(self) -> Decimal:  # 低保 monthly standard for the hukou type
        return self.limits.standard

    def per_capita(self, total: Decimal, months: int = 1) -> Decimal:
        return quotient(total, self.size * months)

    def below(self, total: Decimal, per_capita_limit: Decimal, *, strict: bool = True) -> bool:
        """total ÷ members < limit (≤ when not strict), tested without dividing: total < limit × members."""
        limit = per_capita_limit * self.size
        return total < limit if strict else total <= limit

    def sentence_per_capita(
        self,
        label: str,
        total: Decimal,
        op: str,
        holds: bool,
        label_right: str,
        threshold: Decimal,
        months: int = 1,
    ) -> str:
        """The staff's line of a per-capita test decided as `holds`: "人均月收入 650.00 ≥ 低保标准 600.00"."""
        return sentence(label, self.per_capita(total, months), op, holds, label_right, threshold)

    def said_per_capita(
        self, label: str, total: Decimal, label_right: str, threshold: Decimal, *, months: int = 1
    ) -> str:
        """The family's sentence: "家庭人均月收入 650.00 元，高于低保标准 600.00 元", decided exactly."""
        order = compare_order(total, threshold * months * self.size)
        return said(label, self.per_capita(total, months), label_right, threshold, order=order)


# Where a rule leaves the writer of its reason when the texts are wanted (None: the verdict alone, as the
# bulk re-evaluation asks, with nothing written and nothing kept).
Writers = list[Callable[[], Reason]] | None


def ordered(codes: Iterable[str]) -> tuple[str, ...]:
    unique = set(codes)
    known = [code for code in CATEGORY_ORDER if code in unique]
    return (*known, *sorted(unique - set(CATEGORY_ORDER)))


def verdict(passed: bool, level: str) -> str:
    return f"家庭财产{'符合' if passed else '不符合'}{CATEGORY_LABELS[level]}条件"


def family_sentence(parts: Sequence[tuple[bool, str]], passed: bool) -> str:
    """The family's text: every condition when the rule passed, only the failed ones when it did not."""
    shown = [text for ok, text in parts if passed or not ok]
    return "；".join(shown) + "。"
