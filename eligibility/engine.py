"""Eligibility rules (DESIGN §3.1 and §3.2) over a validated snapshot: pure, no database.

Money is Decimal. Every threshold comparison is exact and made without dividing: "per-capita monthly
income < standard" is tested as "total income < standard × 12 × counted members", so no rounding can move
a household across a line. The per-capita figures of the result are the quotients (exact when they
terminate, else to 28 more significant digits). Texts round ROUND_HALF_UP to 2 places, or to as many more
as it takes to show two unequal figures as unequal ("599.999 < 600.000", not "600.00 < 600.00").

Choices where the design leaves room:
- Ages are whole years; a person born on 29 February turns a year older on 1 March in common years.
- A full-time student with no education level is not a `student_child` (the level must be known).
- 特困 is judged for counted members only. A member's legal supporters are those §3.1's relations define:
  for the applicant the spouse, children and parents; for the spouse the applicant and the children; for a
  child the applicant and the spouse; for a parent the applicant, the siblings and the other parent; for a
  sibling the parents; a grandparent or grandchild has none among the members (list them as external).
  A minor grandchild or other relative has parents outside the members: they count as able unless the
  member's `parents_status` is `unable` (all dead, missing or without capacity); then a grandchild's
  grandparents (the applicant and the spouse) are its supporters among the members. A `child`'s parents
  are the applicant and the spouse, judged from their own facts.
- The vehicle value limit applies only where a vehicle is owned and the category allows one.
- `members[].categories` holds the member-level codes only (`tekun`, `dibao_single`); the household's
  codes are in `categories`.
- `reasons` has, in order: `property_dibao`, `property_marginal`, one `tekun` per counted member, `dibao`,
  `marginal`, one `dibao_single` per counted member of a marginal household (else one), `rigid_expense`,
  `monitoring`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import MAX_PREC, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from eligibility.benefits import Benefit, compute_benefits, tekun_standard
from eligibility.parameters import ParameterSet
from eligibility.snapshot import Assets, MemberFacts, Snapshot, Supporter
from households import codes

CATEGORY_ORDER = codes.AUTOMATIC_CATEGORIES
CATEGORY_LABELS = codes.CATEGORY_LABELS
# What each reason's rule is called on a page: the categories, and the two property checks.
REASON_LABELS = {**CATEGORY_LABELS, "property_dibao": "低保财产条件", "property_marginal": "低保边缘财产条件"}
_RELATION_LABELS = codes.labels(codes.SUPPORTER_RELATIONS)  # of an external supporter to the member
_HUKOU_LABELS = codes.HUKOU_SHORT_LABELS
# Relations with a legal duty of support towards the applicant or from the applicant (§3.1 rule 4).
# Relations whose parents the members' relations do not show: a minor of these has parents elsewhere.
_PARENTS_ELSEWHERE = frozenset({"grandchild", "other"})
PARENTS_ELSEWHERE_LABEL = "父母（不在本户，未登记为死亡、失踪或无抚养能力）"
_SUPPORT_DUTY = frozenset({"parent", "child", "grandparent", "grandchild", "sibling"})
_STUDENT_LEVELS = codes.BACHELOR_OR_BELOW
# Sums and products are exact at this precision, whatever the amounts; only quotients are rounded.
_EXACT = Context(prec=MAX_PREC, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MemberResult:
    ref: str
    counted: bool
    rule: str  # applicant, spouse, minor_child, ..., imprisoned, not_included
    categories: tuple[str, ...]  # member-level only: tekun, dibao_single


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


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The result. `reasons` are written only when read (`to_json`, a page, a stored assessment): the
    categories, members and figures are decided first, without any text; the texts come from the same
    snapshot and parameters by the rules below, so they are what an eager evaluation would have written."""

    as_of: date
    categories: tuple[str, ...]
    primary_category: str | None
    per_capita_monthly_income: Decimal
    per_capita_annual_income: Decimal
    members: tuple[MemberResult, ...]
    _reasons: tuple[Reason, ...] | None = field(default=None, repr=False)
    parameters: tuple[str, ...] = ()
    benefits: tuple[Benefit, ...] = ()  # cash benefits of §3.7 (eligibility.benefits)
    # What the reasons are written from, until they are: (snapshot, parameter set).
    _source: tuple[Snapshot, ParameterSet] | None = field(default=None, repr=False)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        if self._reasons is None:
            assert self._source is not None, "an Evaluation needs its reasons or their source"
            object.__setattr__(self, "_reasons", explain(*self._source))
            object.__setattr__(self, "_source", None)
        assert self._reasons is not None
        return self._reasons

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        names = [f.name for f in fields(self) if not f.name.startswith("_")]
        return all(getattr(self, n) == getattr(other, n) for n in names) and self.reasons == other.reasons

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> dict[str, Any]:
        """The evaluation in the shape of DESIGN §5."""
        return {
            "as_of": self.as_of.isoformat(),
            "categories": list(self.categories),
            "primary_category": self.primary_category,
            "per_capita_monthly_income": _fmt(self.per_capita_monthly_income),
            "per_capita_annual_income": _fmt(self.per_capita_annual_income),
            "members": [
                {"ref": m.ref, "counted": m.counted, "rule": m.rule, "categories": list(m.categories)}
                for m in self.members
            ],
            "reasons": [
                {
                    "rule": r.rule,
                    "passed": r.passed,
                    "detail": r.detail,
                    "member": r.member,
                    "family_text": r.family_text,
                }
                for r in self.reasons
            ],
            "parameters": list(self.parameters),
            "benefits": [benefit.to_json() for benefit in self.benefits],
        }


# --- people ----------------------------------------------------------------------------------------


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _has_disability(member: MemberFacts) -> bool:
    return member.disability_grade is not None or member.disability_type is not None


def is_severely_disabled(member: MemberFacts) -> bool:
    """重残: grade 1–2 of any type, or grade 3 intellectual or mental disability."""
    grade = member.disability_grade
    return grade in (1, 2) or (grade == 3 and member.disability_type in ("intellectual", "mental"))


def membership_rule(member: MemberFacts, as_of: date) -> tuple[bool, str]:
    """Whether a member counts (共同生活家庭成员) and the rule code that decides it (§3.1)."""
    if member.relation == "applicant":
        return True, "applicant"
    if member.imprisoned:
        return False, "imprisoned"
    if member.relation == "spouse":
        return True, "spouse"
    if member.relation == "child":
        if age_on(member.birth_date, as_of) < 18:
            return True, "minor_child"
        if member.full_time_student and member.education_level in _STUDENT_LEVELS:
            return True, "student_child"
        if (_has_disability(member) or member.serious_illness) and member.labor_capacity != "full":
            return True, "dependent_adult_child"
    if member.relation in _SUPPORT_DUTY and (member.lives_together or member.shares_finances):
        return True, "supporting_relative"
    return False, "not_included"


# --- formatting ------------------------------------------------------------------------------------


def _fmt(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_EXACT))


def _pair(left: Decimal, right: Decimal) -> tuple[str, str]:
    """Both figures to 2 places, or more where 2 would show unequal figures as equal."""
    for places in range(2, 11):
        shown = _fmt(left, places), _fmt(right, places)
        if left == right or shown[0] != shown[1]:
            return shown
    return shown


_TESTS = {"<": Decimal.__lt__, "≤": Decimal.__le__, ">": Decimal.__gt__}
_NEGATED = {"<": "≥", "≤": ">", ">": "≤"}


def _sentence(label_left: str, left: Decimal, op: str, holds: bool, label_right: str, right: Decimal) -> str:
    shown_left, shown_right = _pair(left, right)
    return f"{label_left} {shown_left} {op if holds else _NEGATED[op]} {label_right} {shown_right}"


def _compare(label_left: str, left: Decimal, op: str, label_right: str, right: Decimal) -> tuple[bool, str]:
    """Tests `left op right` exactly and writes it with the operator that holds."""
    holds = bool(_TESTS[op](left, right))
    return holds, _sentence(label_left, left, op, holds, label_right, right)


_ORDER_WORDS = {-1: "低于", 0: "等于", 1: "高于"}


def _order(left: Decimal, right: Decimal) -> int:
    return (left > right) - (left < right)


def _said(label: str, value: Decimal, label_right: str, threshold: Decimal, *, order: int) -> str:
    """ "<label> 650.00 元，高于<label_right> 600.00 元": `order` is the exact comparison (-1, 0, 1)."""
    shown, shown_threshold = _pair(value, threshold)
    return f"{label} {shown} 元，{_ORDER_WORDS[order]}{label_right} {shown_threshold} 元"


def _who(member: MemberFacts) -> str:
    """How a reason names a member: the name when the snapshot gives one, else the caller's ref."""
    return member.name or f"成员 {member.ref}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _quotient(total: Decimal, divisor: int) -> Decimal:
    """total ÷ divisor, exact when it terminates, else to 28 significant digits past the total's own."""
    if not divisor:
        return Decimal(0)
    return Context(prec=len(total.as_tuple().digits) + 28).divide(total, Decimal(divisor))


# --- the evaluation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Household:
    snapshot: Snapshot
    parameters: ParameterSet
    counted: tuple[MemberFacts, ...]
    total_income: Decimal
    standard: Decimal  # 低保 monthly standard for the hukou type

    @property
    def size(self) -> int:
        return len(self.counted)

    def per_capita(self, total: Decimal, months: int = 1) -> Decimal:
        return _quotient(total, self.size * months)

    def compare_per_capita(
        self, label: str, total: Decimal, op: str, label_right: str, threshold: Decimal, *, months: int = 1
    ) -> tuple[bool, str]:
        """Tests "total ÷ (members × months) op threshold" as "total op threshold × members × months"."""
        holds = bool(_TESTS[op](total, threshold * months * self.size))
        return holds, _sentence(label, self.per_capita(total, months), op, holds, label_right, threshold)

    def said_per_capita(
        self, label: str, total: Decimal, label_right: str, threshold: Decimal, *, months: int = 1
    ) -> str:
        """The family's sentence: "家庭人均月收入 650.00 元，高于低保标准 600.00 元", decided exactly."""
        order = _order(total, threshold * months * self.size)
        return _said(label, self.per_capita(total, months), label_right, threshold, order=order)


def evaluate(snapshot: Snapshot, parameters: ParameterSet, *, with_benefits: bool = True) -> Evaluation:
    """Classifies a household on `snapshot.as_of` with the parameters in force on that date.
    `with_benefits=False` leaves `benefits` empty, for a caller that reads only the categories and the
    figures (the bulk re-evaluation): the amounts are a tenth of the time and change no category."""
    limits = _limits(parameters, snapshot.hukou_type)
    with localcontext(_EXACT):
        evaluation = _decide(snapshot, parameters, limits)
    if not with_benefits:
        return evaluation
    benefits = compute_benefits(
        snapshot, evaluation.members, evaluation.categories, parameters, tekun_amount=limits.tekun_amount
    )
    object.__setattr__(evaluation, "benefits", benefits)
    return evaluation


def explain(snapshot: Snapshot, parameters: ParameterSet) -> tuple[Reason, ...]:
    """The reasons of `evaluate(snapshot, parameters)`: each rule with its staff and family texts."""
    with localcontext(_EXACT):
        return _explain(snapshot, parameters)


# --- deciding, without texts -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Limits:
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


_LIMITS: dict[tuple[int, str], tuple[ParameterSet, _Limits]] = {}


def _limits(parameters: ParameterSet, hukou_type: str) -> _Limits:
    key = (id(parameters), hukou_type)
    cached = _LIMITS.get(key)
    if cached is not None and cached[0] is parameters:
        return cached[1]
    std = parameters.dibao_standard(hukou_type)
    with localcontext(_EXACT):
        limits = _Limits(
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
        )
    if len(_LIMITS) >= 64:  # parameter sets come and go (one per table load): keep the cache small
        _LIMITS.clear()
    _LIMITS[key] = (parameters, limits)  # the set is held, so its id cannot be reused while cached
    return limits


def _property_passed(
    assets: Assets,
    size: int,
    financial_limit: Decimal,
    vehicles: int,
    vehicle_value: Decimal,
    dwellings: int,
    business: bool,
) -> bool:
    """Whether `_property_checks(...)` all pass, decided alike without writing them."""
    if not assets.financial_assets <= financial_limit * size:
        return False
    if assets.motor_vehicles > vehicles:
        return False
    if vehicles > 0 and assets.motor_vehicles > 0 and not assets.motor_vehicle_value < vehicle_value:
        return False
    if assets.houses > dwellings:
        return False
    return business or not assets.registered_business


def _is_tekun(index: int, snapshot: Snapshot, limits: _Limits) -> bool:
    """`_tekun_reason(...).passed` where the 低保 property check passed, decided alike without texts."""
    member = snapshot.members[index]
    age = age_on(member.birth_date, snapshot.as_of)
    if not (age >= 60 or _has_disability(member) or age < 18):
        return False
    if _no_labor_capacity(member, age) is None or not member.annual_income < limits.standard_year:
        return False
    if _parents_elsewhere_able(member, snapshot.as_of):
        return False
    for other in _legal_supporters(index, snapshot.members, snapshot.as_of):
        unable = other.imprisoned or (
            _no_labor_capacity(other, age_on(other.birth_date, snapshot.as_of)) is not None
            and other.annual_income < limits.standard_year
        )
        if not unable:
            return False
    ref = member.ref
    return not any(s.able_to_support for s in snapshot.external_supporters if s.supports == ref)


def _decide(snapshot: Snapshot, parameters: ParameterSet, limits: _Limits) -> Evaluation:
    """Categories, members and figures as `_explain`'s reasons decide them, without writing a text."""
    as_of, members_facts = snapshot.as_of, snapshot.members
    rules = [membership_rule(member, as_of) for member in members_facts]
    counted_indexes = [index for index, (counts, _) in enumerate(rules) if counts]
    size = len(counted_indexes)
    total = sum((members_facts[index].annual_income for index in counted_indexes), Decimal(0))
    assets, p = snapshot.assets, parameters
    dibao_property = _property_passed(
        assets,
        size,
        limits.financial_dibao,
        p.vehicles_allowed_dibao,
        limits.vehicle_value,
        p.dwellings_allowed_dibao,
        p.business_allowed_dibao,
    )
    marginal_property = _property_passed(
        assets,
        size,
        limits.financial_marginal,
        p.vehicles_allowed_marginal,
        limits.vehicle_value,
        p.dwellings_allowed_marginal,
        p.business_allowed_marginal,
    )
    member_categories: dict[int, tuple[str, ...]] = {}
    if dibao_property:
        for index in counted_indexes:
            if _is_tekun(index, snapshot, limits):
                member_categories[index] = ("tekun",)

    found: set[str] = set()
    below_standard = total < limits.standard_year * size
    if below_standard and dibao_property:
        found.add("dibao")
    if not below_standard and total <= limits.marginal_year * size and marginal_property:
        found.add("marginal")
        for index in counted_indexes:
            member = members_facts[index]
            if member.serious_illness or is_severely_disabled(member):
                member_categories[index] = (*member_categories.get(index, ()), "dibao_single")
    for member_codes in member_categories.values():
        found.update(member_codes)

    if (
        not found
        and marginal_property
        and total < limits.disposable * size
        and snapshot.annual_rigid_expenses.total > total * limits.ratio
    ):
        found.add("rigid_expense")
    if marginal_property and total < limits.monitoring * size:
        found.add("monitoring")

    categories = _ordered(found) if found else ()
    members = tuple(
        MemberResult(
            ref=member.ref,
            counted=counts,
            rule=rule,
            categories=_ordered(member_categories[index]) if index in member_categories else (),
        )
        for index, (member, (counts, rule)) in enumerate(zip(members_facts, rules, strict=True))
    )
    return Evaluation(
        as_of=as_of,
        categories=categories,
        primary_category=next((code for code in CATEGORY_ORDER if code in categories), None),
        per_capita_monthly_income=_quotient(total, size * 12),
        per_capita_annual_income=_quotient(total, size),
        members=members,
        parameters=tuple(parameters.refs),
        _source=(snapshot, parameters),
    )


# --- the reasons, with their texts --------------------------------------------------------------------


def _explain(snapshot: Snapshot, parameters: ParameterSet) -> tuple[Reason, ...]:
    """Every rule checked, with its texts, in the order the module doc gives."""
    rules = [membership_rule(member, snapshot.as_of) for member in snapshot.members]
    counted_indexes = [index for index, (counts, _) in enumerate(rules) if counts]
    counted = tuple(snapshot.members[index] for index in counted_indexes)
    household = _Household(
        snapshot=snapshot,
        parameters=parameters,
        counted=counted,
        total_income=sum((member.annual_income for member in counted), Decimal(0)),
        standard=parameters.dibao_standard(snapshot.hukou_type),
    )
    dibao_property = _property(household, level="dibao")
    marginal_property = _property(household, level="marginal")
    reasons: list[Reason] = [dibao_property.reason(), marginal_property.reason()]

    member_categories: dict[int, list[str]] = {index: [] for index in counted_indexes}
    for index in counted_indexes:
        reason = _tekun_reason(household, index, dibao_property=dibao_property)
        reasons.append(reason)
        if reason.passed:
            member_categories[index].append("tekun")

    household_categories: list[str] = []
    for reason in (_dibao_reason(household, dibao_property), _marginal_reason(household, marginal_property)):
        reasons.append(reason)
        if reason.passed:
            household_categories.append(reason.rule)

    marginal = "marginal" in household_categories
    single_reasons = _dibao_single_reasons(household, marginal=marginal)
    reasons += single_reasons
    for index, reason in zip(counted_indexes if marginal else (), single_reasons, strict=False):
        if reason.passed:
            member_categories[index].append("dibao_single")

    found = set(household_categories).union(*member_categories.values())
    rigid = _rigid_expense_reason(household, marginal_property, others=found)
    found.update(["rigid_expense"] if rigid.passed else [])
    monitoring = _monitoring_reason(household, marginal_property, others=found)
    found.update(["monitoring"] if monitoring.passed else [])
    reasons += [rigid, monitoring]
    return tuple(reasons)


def _ordered(codes: Iterable[str]) -> tuple[str, ...]:
    unique = set(codes)
    known = [code for code in CATEGORY_ORDER if code in unique]
    return (*known, *sorted(unique - set(CATEGORY_ORDER)))


# --- property limits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    ok: bool
    detail: str  # the staff's line, with the operator that holds
    failure: str = ""  # what the family reads when the check fails


def _property_checks(household: _Household, level: str) -> list[_Check]:
    """The property limits of the 低保 (level "dibao") or the marginal (level "marginal") category."""
    params, assets, std = household.parameters, household.snapshot.assets, household.standard
    months = getattr(params, f"financial_assets_months_{level}")
    vehicles_allowed: int = getattr(params, f"vehicles_allowed_{level}")
    dwellings_allowed: int = getattr(params, f"dwellings_allowed_{level}")
    business_allowed: bool = getattr(params, f"business_allowed_{level}")
    label = CATEGORY_LABELS[level]

    limit = months * std
    ok, text = household.compare_per_capita(
        "人均金融资产", assets.financial_assets, "≤", f"{months}个月低保标准", limit
    )
    checks = [
        _Check(
            ok,
            text,
            household.said_per_capita(
                "家庭人均金融资产", assets.financial_assets, f"{months}个月低保标准合计", limit
            ),
        )
    ]
    vehicles_ok = assets.motor_vehicles <= vehicles_allowed
    checks.append(
        _Check(
            vehicles_ok,
            f"机动车 {assets.motor_vehicles} 辆 {'≤' if vehicles_ok else '>'} 允许 {vehicles_allowed} 辆",
            f"家庭有机动车 {assets.motor_vehicles} 辆，{label}不允许拥有机动车"
            if vehicles_allowed == 0
            else f"家庭有机动车 {assets.motor_vehicles} 辆，多于{label}允许的 {vehicles_allowed} 辆",
        )
    )
    if vehicles_allowed > 0 and assets.motor_vehicles > 0:
        value_months = params.vehicle_value_months
        value_limit = value_months * std
        ok, text = _compare(
            "机动车价值", assets.motor_vehicle_value, "<", f"{value_months}个月低保标准", value_limit
        )
        failure = (
            _said(
                "机动车价值",
                assets.motor_vehicle_value,
                f"{value_months}个月低保标准合计",
                value_limit,
                order=_order(assets.motor_vehicle_value, value_limit),
            )
            + "（须低于此数）"
        )
        checks.append(_Check(ok, text, failure))
    dwellings_ok = assets.houses <= dwellings_allowed
    checks.append(
        _Check(
            dwellings_ok,
            f"住房 {assets.houses} 套 {'≤' if dwellings_ok else '>'} 允许 {dwellings_allowed} 套",
            f"家庭有住房 {assets.houses} 套，多于{label}允许的 {dwellings_allowed} 套",
        )
    )
    if not business_allowed:
        business = assets.registered_business
        checks.append(
            _Check(
                not business,
                "有登记注册的经营实体" if business else "无登记注册的经营实体",
                "家庭成员有登记注册的公司、企业或经营实体",
            )
        )
    return checks


@dataclass(frozen=True)
class _Property:
    level: str
    checks: tuple[_Check, ...]

    @property
    def passed(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def verdict(self) -> str:
        return _verdict(self.passed, self.level)

    @property
    def family(self) -> str:
        """For the family: "家庭财产符合低保条件", or what exceeds the limits."""
        label = CATEGORY_LABELS[self.level]
        if self.passed:
            return f"家庭财产符合{label}条件"
        failures = "；".join(check.failure for check in self.checks if not check.ok)
        return f"家庭财产超出{label}条件：{failures}"

    def reason(self) -> Reason:
        detail = f"{self.verdict}：" + "；".join(check.detail for check in self.checks)
        return Reason(f"property_{self.level}", self.passed, detail, family_text=self.family + "。")


def _property(household: _Household, *, level: str) -> _Property:
    return _Property(level, tuple(_property_checks(household, level)))


def _verdict(passed: bool, level: str) -> str:
    return f"家庭财产{'符合' if passed else '不符合'}{CATEGORY_LABELS[level]}条件"


def _family(parts: Sequence[tuple[bool, str]], passed: bool) -> str:
    """The family's text: every condition when the rule passed, only the failed ones when it did not."""
    shown = [text for ok, text in parts if passed or not ok]
    return "；".join(shown) + "。"


# --- 特困 (member level) -----------------------------------------------------------------------------


def _no_labor_capacity(member: MemberFacts, age: int) -> str | None:
    """Why the member has no labor capacity, or None when they have some."""
    if member.labor_capacity == "none":
        return "经认定"
    if age >= 60:
        return "年满60周岁"
    if age < 16:
        return "未满16周岁"
    if is_severely_disabled(member):
        return "重度残疾"
    return None


def _without_living_source(member: MemberFacts, household: _Household) -> bool:
    return member.annual_income < 12 * household.standard


def _parents_elsewhere_able(member: MemberFacts, as_of: date) -> bool:
    """A minor whose parents are not among the members (a grandchild, another relative) has them as legal
    supporters able to support, unless the member records them as all dead, missing or without capacity
    (`parents_status: "unable"`; absent means able)."""
    return (
        member.relation in _PARENTS_ELSEWHERE
        and age_on(member.birth_date, as_of) < 18
        and member.parents_status != "unable"
    )


def _legal_supporters(index: int, members: Sequence[MemberFacts], as_of: date) -> list[MemberFacts]:
    """The member's spouse, children and parents among the snapshot's members (relations per §3.1); for a
    minor grandchild whose parents are recorded unable, the grandparents (the applicant and the spouse),
    whose duty then arises (民法典第一千零七十四条)."""
    member = members[index]
    wanted = {
        "applicant": ("spouse", "child", "parent"),
        "spouse": ("applicant", "child"),
        "child": ("applicant", "spouse"),
        "parent": ("applicant", "sibling", "parent"),  # children, and the other parent as spouse
        "sibling": ("parent",),
    }.get(member.relation, ())
    if (
        member.relation == "grandchild"
        and member.parents_status == "unable"
        and age_on(member.birth_date, as_of) < 18
    ):
        wanted = ("applicant", "spouse")
    return [other for position, other in enumerate(members) if position != index and other.relation in wanted]


def _able_supporters(index: int, household: _Household) -> list[tuple[str, str]]:
    """(how the staff's text names them, how the family's text names them) of each able supporter."""
    snapshot = household.snapshot
    member = snapshot.members[index]
    able: list[tuple[str, str]] = []
    if _parents_elsewhere_able(member, snapshot.as_of):
        able.append((PARENTS_ELSEWHERE_LABEL, PARENTS_ELSEWHERE_LABEL))
    for other in _legal_supporters(index, snapshot.members, snapshot.as_of):
        unable = other.imprisoned or (
            _no_labor_capacity(other, age_on(other.birth_date, snapshot.as_of)) is not None
            and _without_living_source(other, household)
        )
        if not unable:
            able.append((other.ref, _who(other)))
    external: Iterable[Supporter] = (s for s in snapshot.external_supporters if s.supports == member.ref)
    for supporter in external:
        if supporter.able_to_support:
            named = f"{supporter.name or '外部义务人'}（{_RELATION_LABELS[supporter.relation]}）"
            able.append((named, named))
    return sorted(able)


def _tekun_reason(household: _Household, index: int, *, dibao_property: _Property) -> Reason:
    member = household.snapshot.members[index]
    age = age_on(member.birth_date, household.snapshot.as_of)
    groups = [
        text
        for holds, text in (
            (age >= 60, f"老年人（{age}周岁）"),
            (_has_disability(member), "残疾人"),
            (age < 18, f"未成年人（{age}周岁）"),
        )
        if holds
    ]
    if not groups:
        return Reason(
            "tekun",
            False,
            f"{_who(member)}：不属于老年人、残疾人或未成年人（{age}周岁）。",
            member=member.ref,
            family_text=f"年龄{age}周岁，不属于老年人、残疾人或未成年人，不符合特困人员条件。",
        )
    no_labor = _no_labor_capacity(member, age)
    threshold = 12 * household.standard
    income_ok, income_text = _compare("本人年收入", member.annual_income, "<", "12个月低保标准", threshold)
    able = _able_supporters(index, household)
    property_ok = dibao_property.passed
    parts = [
        "、".join(groups),
        f"无劳动能力（{no_labor}）" if no_labor else "有劳动能力",
        income_text,
        f"有能力履行义务的法定义务人：{'、'.join(ref for ref, _ in able)}"
        if able
        else "无有能力履行义务的法定义务人",
        _verdict(property_ok, "dibao"),
    ]
    passed = no_labor is not None and income_ok and not able and property_ok
    income_said = _said(
        "本人年收入",
        member.annual_income,
        "12个月低保标准",
        threshold,
        order=_order(member.annual_income, threshold),
    )
    family = [
        (True, "、".join(groups)),
        (no_labor is not None, f"无劳动能力（{no_labor}）" if no_labor else "有劳动能力"),
        (income_ok, income_said),
        (
            not able,
            f"有能够履行赡养、扶养或抚养义务的法定义务人：{'、'.join(name for _, name in able)}"
            if able
            else "无能够履行赡养、扶养或抚养义务的法定义务人",
        ),
        (property_ok, dibao_property.family),
    ]
    return Reason(
        "tekun",
        passed,
        f"{_who(member)}：" + "；".join(parts) + "。",
        member=member.ref,
        family_text=_family(family, passed),
    )


# --- household categories --------------------------------------------------------------------------


def _monthly_income_compare(
    household: _Household, op: str, label: str, threshold: Decimal
) -> tuple[bool, str]:
    return household.compare_per_capita("人均月收入", household.total_income, op, label, threshold, months=12)


def _dibao_reason(household: _Household, dibao_property: _Property) -> Reason:
    income_ok, text = _monthly_income_compare(household, "<", "低保标准", household.standard)
    passed = income_ok and dibao_property.passed
    family = [
        (
            income_ok,
            household.said_per_capita(
                "家庭人均月收入", household.total_income, "低保标准", household.standard, months=12
            ),
        ),
        (dibao_property.passed, dibao_property.family),
    ]
    return Reason("dibao", passed, f"{text}；{dibao_property.verdict}。", family_text=_family(family, passed))


def _marginal_reason(household: _Household, marginal_property: _Property) -> Reason:
    multiplier = household.parameters.marginal_multiplier
    std = household.standard
    low_ok, low_text = _monthly_income_compare(household, "<", "低保标准", std)
    low_ok = not low_ok  # standard ≤ income
    high_ok, high_text = _monthly_income_compare(
        household, "≤", f"{_plain(multiplier)}倍低保标准", multiplier * std
    )
    income = household.per_capita(household.total_income, months=12)
    if low_ok and high_ok:
        text = (
            f"低保标准 {_fmt(std)} ≤ 人均月收入 {_fmt(income)} ≤ "
            f"{_plain(multiplier)}倍低保标准 {_fmt(multiplier * std)}"
        )
        income_said = (
            f"家庭人均月收入 {_fmt(income)} 元，在低保标准 {_fmt(std)} 元至"
            f"{_plain(multiplier)}倍低保标准 {_fmt(multiplier * std)} 元之间"
        )
    elif not low_ok:
        text = low_text
        said = household.said_per_capita("家庭人均月收入", household.total_income, "低保标准", std, months=12)
        income_said = f"{said}，不在低保边缘家庭的收入范围内"
    else:
        text = high_text
        income_said = household.said_per_capita(
            "家庭人均月收入",
            household.total_income,
            f"{_plain(multiplier)}倍低保标准",
            multiplier * std,
            months=12,
        )
    passed = low_ok and high_ok and marginal_property.passed
    family = [(low_ok and high_ok, income_said), (marginal_property.passed, marginal_property.family)]
    return Reason(
        "marginal", passed, f"{text}；{marginal_property.verdict}。", family_text=_family(family, passed)
    )


def _dibao_single_reasons(household: _Household, *, marginal: bool) -> list[Reason]:
    """One reason per counted member of a marginal household; one negative reason otherwise."""
    if not marginal:
        text = "家庭不属于低保边缘家庭，不适用参照单人户纳入低保。"
        return [Reason("dibao_single", False, text, family_text=text)]
    reasons = []
    for member in household.counted:
        conditions = [
            text
            for holds, text in (
                (member.serious_illness, "患重病"),
                (is_severely_disabled(member), "重度残疾"),
            )
            if holds
        ]
        if conditions:
            family = f"{'、'.join(conditions)}，低保边缘家庭成员参照单人户纳入低保。"
        else:
            family = "未患重病，也无重度残疾，不参照单人户纳入低保。"
        if conditions:
            detail = f"{_who(member)}：{'、'.join(conditions)}，低保边缘家庭成员参照单人户纳入低保。"
        else:
            detail = f"{_who(member)}：无重病或重度残疾，不参照单人户纳入低保。"
        reasons.append(
            Reason("dibao_single", bool(conditions), detail, member=member.ref, family_text=family)
        )
    return reasons


def _overlap(others: set[str]) -> str:
    return "、".join(CATEGORY_LABELS[code] for code in _ordered(others))


def _monitoring_reason(household: _Household, marginal_property: _Property, *, others: set[str]) -> Reason:
    standard = household.parameters.monitoring_standard_annual
    income_ok, text = household.compare_per_capita(
        "人均年收入", household.total_income, "<", "防止返贫监测标准", standard
    )
    passed = income_ok and marginal_property.passed
    detail = f"{text}；{marginal_property.verdict}"
    family = [
        (
            income_ok,
            household.said_per_capita("家庭人均年收入", household.total_income, "防止返贫监测标准", standard),
        ),
        (marginal_property.passed, marginal_property.family),
    ]
    if passed and others:
        detail += f"；与{_overlap(others)}重复，予以标识"
        family.append((True, f"同时属于{_overlap(others)}，两项政策重叠，予以标识"))
    return Reason("monitoring", passed, detail + "。", family_text=_family(family, passed))


def _rigid_expense_reason(household: _Household, marginal_property: _Property, *, others: set[str]) -> Reason:
    if others:
        text = f"已属于{_overlap(others)}，不再认定刚性支出困难家庭。"
        return Reason("rigid_expense", False, text, family_text=text)
    hukou = household.snapshot.hukou_type
    disposable = household.parameters.disposable_income(hukou)
    disposable_label = f"上年度{_HUKOU_LABELS.get(hukou, '')}居民人均可支配收入"
    income_ok, income_text = household.compare_per_capita(
        "人均年收入", household.total_income, "<", disposable_label, disposable
    )
    ratio = household.parameters.rigid_expense_ratio
    expenses = household.snapshot.annual_rigid_expenses.total
    limit = household.total_income * ratio
    expense_ok, expense_text = _compare(
        "年刚性支出", expenses, ">", f"家庭年收入 {_fmt(household.total_income)} × {_plain(ratio)} =", limit
    )
    shown_expenses, shown_limit = _pair(expenses, limit)
    exceeds = "超过" if expense_ok else "未超过"
    if ratio == 1:
        expense_said = f"家庭年刚性支出 {shown_expenses} 元，{exceeds}家庭年收入 {shown_limit} 元"
    else:
        expense_said = (
            f"家庭年刚性支出 {shown_expenses} 元，{exceeds}家庭年收入 "
            f"{_fmt(household.total_income)} 元的 {_plain(ratio)} 倍（{shown_limit} 元）"
        )
    passed = income_ok and expense_ok and marginal_property.passed
    family = [
        (
            income_ok,
            household.said_per_capita("家庭人均年收入", household.total_income, disposable_label, disposable),
        ),
        (expense_ok, expense_said),
        (marginal_property.passed, marginal_property.family),
    ]
    return Reason(
        "rigid_expense",
        passed,
        f"{income_text}；{expense_text}；{marginal_property.verdict}。",
        family_text=_family(family, passed),
    )


# --- medical assistance ----------------------------------------------------------------------------


def medical_assistance_ratio(
    categories: Iterable[str], parameters: ParameterSet, illness_impoverished: bool = False
) -> Decimal | None:
    """The most favorable medical-assistance ratio in percent (100 = full), or None when none applies.

    `dibao_single` members are 低保 recipients; `rigid_expense` alone gives no ratio unless the person is
    an illness-impoverished patient (因病致贫重病患者).
    """
    by_category = {
        "tekun": parameters.medical_ratio_tekun,
        "dibao": parameters.medical_ratio_dibao,
        "dibao_single": parameters.medical_ratio_dibao,
        "marginal": parameters.medical_ratio_marginal,
        "monitoring": parameters.medical_ratio_monitoring,
    }
    ratios = [by_category[code] for code in categories if code in by_category]
    if illness_impoverished:
        ratios.append(parameters.medical_ratio_illness)
    return max(ratios, default=None)
