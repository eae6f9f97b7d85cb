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
- The vehicle value limit applies only where a vehicle is owned and the category allows one.
- `members[].categories` holds the member-level codes only (`tekun`, `dibao_single`); the household's
  codes are in `categories`.
- `reasons` has, in order: `property_dibao`, `property_marginal`, one `tekun` per counted member, `dibao`,
  `marginal`, one `dibao_single` per counted member of a marginal household (else one), `rigid_expense`,
  `monitoring`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import MAX_PREC, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from eligibility.benefits import Benefit, compute_benefits
from eligibility.parameters import ParameterSet
from eligibility.snapshot import MemberFacts, Snapshot, Supporter

CATEGORY_ORDER = ("tekun", "dibao", "dibao_single", "marginal", "rigid_expense", "monitoring")
CATEGORY_LABELS = {
    "tekun": "特困",
    "dibao": "低保",
    "dibao_single": "单人户低保",
    "marginal": "低保边缘",
    "rigid_expense": "刚性支出困难",
    "monitoring": "防止返贫监测",
    "case_by_case": "其他困难人员",
}
_RELATION_LABELS = {  # of an external supporter to the member supported
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "grandparent": "(外)祖父母",
    "grandchild": "(外)孙子女",
    "sibling": "兄弟姐妹",
}
_HUKOU_LABELS = {"rural": "农村", "urban": "城镇"}
_SUPPORT_DUTY = frozenset({"parent", "child", "grandparent", "grandchild", "sibling"})
_STUDENT_LEVELS = frozenset(
    {
        "preschool",
        "primary",
        "junior_secondary",
        "senior_secondary",
        "secondary_vocational",
        "higher_vocational",
        "bachelor",
    }
)
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
    rule: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    categories: tuple[str, ...]
    primary_category: str | None
    per_capita_monthly_income: Decimal
    per_capita_annual_income: Decimal
    members: tuple[MemberResult, ...]
    reasons: tuple[Reason, ...]
    parameters: tuple[str, ...]
    benefits: tuple[Benefit, ...] = ()  # cash benefits of §3.7 (eligibility.benefits)

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
            "reasons": [{"rule": r.rule, "passed": r.passed, "detail": r.detail} for r in self.reasons],
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


def evaluate(snapshot: Snapshot, parameters: ParameterSet) -> Evaluation:
    """Classifies a household on `snapshot.as_of` with the parameters in force on that date."""
    with localcontext(_EXACT):
        evaluation = _evaluate(snapshot, parameters)
    benefits = compute_benefits(snapshot, evaluation.members, evaluation.categories, parameters)
    return replace(evaluation, benefits=benefits)


def _evaluate(snapshot: Snapshot, parameters: ParameterSet) -> Evaluation:
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
    reasons: list[Reason] = []
    dibao_property = _property_reason(household, level="dibao")
    marginal_property = _property_reason(household, level="marginal")
    reasons += [dibao_property, marginal_property]

    member_categories: dict[int, list[str]] = {index: [] for index in counted_indexes}
    for index in counted_indexes:
        reason = _tekun_reason(household, index, property_ok=dibao_property.passed)
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

    categories = _ordered(found)
    members = tuple(
        MemberResult(
            ref=member.ref, counted=counts, rule=rule, categories=_ordered(member_categories.get(index, ()))
        )
        for index, (member, (counts, rule)) in enumerate(zip(snapshot.members, rules, strict=True))
    )
    return Evaluation(
        as_of=snapshot.as_of,
        categories=categories,
        primary_category=next((code for code in CATEGORY_ORDER if code in categories), None),
        per_capita_monthly_income=household.per_capita(household.total_income, months=12),
        per_capita_annual_income=household.per_capita(household.total_income),
        members=members,
        reasons=tuple(reasons),
        parameters=tuple(parameters.refs),
    )


def _ordered(codes: Iterable[str]) -> tuple[str, ...]:
    unique = set(codes)
    known = [code for code in CATEGORY_ORDER if code in unique]
    return (*known, *sorted(unique - set(CATEGORY_ORDER)))


# --- property limits -------------------------------------------------------------------------------


def _property_reason(household: _Household, *, level: str) -> Reason:
    """Property within the 低保 (level "dibao") or the marginal (level "marginal") limits."""
    params, assets, std = household.parameters, household.snapshot.assets, household.standard
    months = getattr(params, f"financial_assets_months_{level}")
    vehicles_allowed: int = getattr(params, f"vehicles_allowed_{level}")
    dwellings_allowed: int = getattr(params, f"dwellings_allowed_{level}")
    business_allowed: bool = getattr(params, f"business_allowed_{level}")

    checks = [
        household.compare_per_capita(
            "人均金融资产", assets.financial_assets, "≤", f"{months}个月低保标准", months * std
        )
    ]
    vehicles_ok = assets.motor_vehicles <= vehicles_allowed
    checks.append(
        (
            vehicles_ok,
            f"机动车 {assets.motor_vehicles} 辆 {'≤' if vehicles_ok else '>'} 允许 {vehicles_allowed} 辆",
        )
    )
    if vehicles_allowed > 0 and assets.motor_vehicles > 0:
        value_months = params.vehicle_value_months
        checks.append(
            _compare(
                "机动车价值",
                assets.motor_vehicle_value,
                "<",
                f"{value_months}个月低保标准",
                value_months * std,
            )
        )
    dwellings_ok = assets.houses <= dwellings_allowed
    checks.append(
        (dwellings_ok, f"住房 {assets.houses} 套 {'≤' if dwellings_ok else '>'} 允许 {dwellings_allowed} 套")
    )
    if not business_allowed:
        business = assets.registered_business
        checks.append((not business, "有登记注册的经营实体" if business else "无登记注册的经营实体"))
    passed = all(ok for ok, _ in checks)
    return Reason(
        f"property_{level}", passed, f"{_verdict(passed, level)}：" + "；".join(t for _, t in checks)
    )


def _verdict(passed: bool, level: str) -> str:
    return f"家庭财产{'符合' if passed else '不符合'}{CATEGORY_LABELS[level]}条件"


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


def _legal_supporters(index: int, members: Sequence[MemberFacts]) -> list[MemberFacts]:
    """The member's spouse, children and parents among the snapshot's members (relations per §3.1)."""
    member = members[index]
    wanted = {
        "applicant": ("spouse", "child", "parent"),
        "spouse": ("applicant", "child"),
        "child": ("applicant", "spouse"),
        "parent": ("applicant", "sibling", "parent"),  # children, and the other parent as spouse
        "sibling": ("parent",),
    }.get(member.relation, ())
    return [other for position, other in enumerate(members) if position != index and other.relation in wanted]


def _able_supporters(index: int, household: _Household) -> list[str]:
    snapshot = household.snapshot
    member = snapshot.members[index]
    able: list[str] = []
    for other in _legal_supporters(index, snapshot.members):
        unable = other.imprisoned or (
            _no_labor_capacity(other, age_on(other.birth_date, snapshot.as_of)) is not None
            and _without_living_source(other, household)
        )
        if not unable:
            able.append(other.ref)
    external: Iterable[Supporter] = (s for s in snapshot.external_supporters if s.supports == member.ref)
    for supporter in external:
        if supporter.able_to_support:
            able.append(f"{supporter.name or '外部义务人'}（{_RELATION_LABELS[supporter.relation]}）")
    return sorted(able)


def _tekun_reason(household: _Household, index: int, *, property_ok: bool) -> Reason:
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
        return Reason("tekun", False, f"{_who(member)}：不属于老年人、残疾人或未成年人（{age}周岁）。")
    no_labor = _no_labor_capacity(member, age)
    income_ok, income_text = _compare(
        "本人年收入", member.annual_income, "<", "12个月低保标准", 12 * household.standard
    )
    able = _able_supporters(index, household)
    parts = [
        "、".join(groups),
        f"无劳动能力（{no_labor}）" if no_labor else "有劳动能力",
        income_text,
        f"有能力履行义务的法定义务人：{'、'.join(able)}" if able else "无有能力履行义务的法定义务人",
        _verdict(property_ok, "dibao"),
    ]
    passed = no_labor is not None and income_ok and not able and property_ok
    return Reason("tekun", passed, f"{_who(member)}：" + "；".join(parts) + "。")


# --- household categories --------------------------------------------------------------------------


def _monthly_income_compare(
    household: _Household, op: str, label: str, threshold: Decimal
) -> tuple[bool, str]:
    return household.compare_per_capita("人均月收入", household.total_income, op, label, threshold, months=12)


def _dibao_reason(household: _Household, dibao_property: Reason) -> Reason:
    income_ok, text = _monthly_income_compare(household, "<", "低保标准", household.standard)
    passed = income_ok and dibao_property.passed
    return Reason("dibao", passed, f"{text}；{_verdict(dibao_property.passed, 'dibao')}。")


def _marginal_reason(household: _Household, marginal_property: Reason) -> Reason:
    multiplier = household.parameters.marginal_multiplier
    low_ok, low_text = _monthly_income_compare(household, "<", "低保标准", household.standard)
    low_ok = not low_ok  # standard ≤ income
    high_ok, high_text = _monthly_income_compare(
        household, "≤", f"{_plain(multiplier)}倍低保标准", multiplier * household.standard
    )
    if low_ok and high_ok:
        income = _fmt(household.per_capita(household.total_income, months=12))
        text = (
            f"低保标准 {_fmt(household.standard)} ≤ 人均月收入 {income} ≤ "
            f"{_plain(multiplier)}倍低保标准 {_fmt(multiplier * household.standard)}"
        )
    else:
        text = high_text if low_ok else low_text
    passed = low_ok and high_ok and marginal_property.passed
    return Reason("marginal", passed, f"{text}；{_verdict(marginal_property.passed, 'marginal')}。")


def _dibao_single_reasons(household: _Household, *, marginal: bool) -> list[Reason]:
    """One reason per counted member of a marginal household; one negative reason otherwise."""
    if not marginal:
        return [Reason("dibao_single", False, "家庭不属于低保边缘家庭，不适用参照单人户纳入低保。")]
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
            detail = f"{_who(member)}：{'、'.join(conditions)}，低保边缘家庭成员参照单人户纳入低保。"
        else:
            detail = f"{_who(member)}：无重病或重度残疾，不参照单人户纳入低保。"
        reasons.append(Reason("dibao_single", bool(conditions), detail))
    return reasons


def _monitoring_reason(household: _Household, marginal_property: Reason, *, others: set[str]) -> Reason:
    standard = household.parameters.monitoring_standard_annual
    income_ok, text = household.compare_per_capita(
        "人均年收入", household.total_income, "<", "防止返贫监测标准", standard
    )
    passed = income_ok and marginal_property.passed
    detail = f"{text}；{_verdict(marginal_property.passed, 'marginal')}"
    if passed and others:
        detail += f"；与{'、'.join(CATEGORY_LABELS[code] for code in _ordered(others))}重复，予以标识"
    return Reason("monitoring", passed, detail + "。")


def _rigid_expense_reason(household: _Household, marginal_property: Reason, *, others: set[str]) -> Reason:
    if others:
        labels = "、".join(CATEGORY_LABELS[code] for code in _ordered(others))
        return Reason("rigid_expense", False, f"已属于{labels}，不再认定刚性支出困难家庭。")
    hukou = household.snapshot.hukou_type
    disposable = household.parameters.disposable_income(hukou)
    income_ok, income_text = household.compare_per_capita(
        "人均年收入",
        household.total_income,
        "<",
        f"上年度{_HUKOU_LABELS.get(hukou, '')}居民人均可支配收入",
        disposable,
    )
    ratio = household.parameters.rigid_expense_ratio
    expenses = household.snapshot.annual_rigid_expenses.total
    expense_ok, expense_text = _compare(
        "年刚性支出",
        expenses,
        ">",
        f"家庭年收入 {_fmt(household.total_income)} × {_plain(ratio)} =",
        household.total_income * ratio,
    )
    passed = income_ok and expense_ok and marginal_property.passed
    return Reason(
        "rigid_expense",
        passed,
        f"{income_text}；{expense_text}；{_verdict(marginal_property.passed, 'marginal')}。",
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
