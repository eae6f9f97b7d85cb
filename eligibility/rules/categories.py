"""The rules of each category: 特困 (member level), 低保, 低保边缘, 参照单人户纳入低保, 刚性支出困难 and
防止返贫监测 (DESIGN §3.1)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from eligibility.snapshot import MemberFacts
from households import codes

from .base import (
    CATEGORY_LABELS,
    Household,
    Reason,
    Writers,
    compare_order,
    family_sentence,
    fmt,
    ordered,
    pair,
    plain,
    said,
    sentence,
    who,
)
from .people import (
    able_supporters,
    age_on,
    has_able_supporter,
    has_disability,
    is_severely_disabled,
    no_labor_capacity,
)
from .property import Property

_HUKOU_LABELS = codes.HUKOU_SHORT_LABELS


def _tekun_groups(member: MemberFacts, age: int) -> list[str]:
    """老年人、残疾人、未成年人: the groups 特困 is open to that the member belongs to."""
    return [
        text
        for holds, text in (
            (age >= 60, f"老年人（{age}周岁）"),
            (has_disability(member), "残疾人"),
            (age < 18, f"未成年人（{age}周岁）"),
        )
        if holds
    ]


def tekun_rule(household: Household, index: int, dibao_property: Property, writers: Writers) -> bool:
    """特困 (DESIGN §3.1): in a group it is open to, without labor capacity, an own income below 12 months
    of the 低保 standard, no legal supporter able to support, and the 低保 property limits met."""
    passed = False
    if dibao_property.passed:  # the cheapest condition first: the member's own are read when worded
        _, no_labor, income_ok = _tekun_facts(household, index)
        passed = (
            no_labor is not None
            and income_ok
            and not has_able_supporter(index, household)  # the costliest condition, decided last
        )
    if writers is not None:
        writers.append(partial(_tekun_reason, household, index, passed, dibao_property))
    return passed


def _tekun_facts(household: Household, index: int) -> tuple[int, str | None, bool]:
    """The member's age, why they have no labor capacity (None: they have some, or they are in no group 特困
    is open to), and whether their own income is below 12 months of the 低保 standard."""
    member = household.snapshot.members[index]
    age = age_on(member.birth_date, household.snapshot.as_of)
    in_group = age >= 60 or has_disability(member) or age < 18
    no_labor = no_labor_capacity(member, age) if in_group else None
    return age, no_labor, member.annual_income < household.limits.standard_year


def _tekun_reason(household: Household, index: int, passed: bool, property: Property) -> Reason:
    member = household.snapshot.members[index]
    age, no_labor, income_ok = _tekun_facts(household, index)
    groups = _tekun_groups(member, age)
    if not groups:
        return Reason(
            "tekun",
            False,
            f"{who(member)}：不属于老年人、残疾人或未成年人（{age}周岁）。",
            member=member.ref,
            family_text=f"年龄{age}周岁，不属于老年人、残疾人或未成年人，不符合特困人员条件。",
        )
    threshold = household.limits.standard_year
    able = able_supporters(index, household)
    parts = [
        "、".join(groups),
        f"无劳动能力（{no_labor}）" if no_labor else "有劳动能力",
        sentence("本人年收入", member.annual_income, "<", income_ok, "12个月低保标准", threshold),
        f"有能力履行义务的法定义务人：{'、'.join(ref for ref, _ in able)}"
        if able
        else "无有能力履行义务的法定义务人",
        property.verdict,
    ]
    income_said = said(
        "本人年收入",
        member.annual_income,
        "12个月低保标准",
        threshold,
        order=compare_order(member.annual_income, threshold),
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
        (property.passed, property.family(household)),
    ]
    return Reason(
        "tekun",
        passed,
        f"{who(member)}：" + "；".join(parts) + "。",
        member=member.ref,
        family_text=family_sentence(family, passed),
    )


def _monthly_income_line(household: Household, op: str, holds: bool, label: str, threshold: Decimal) -> str:
    return household.sentence_per_capita(
        "人均月收入", household.total_income, op, holds, label, threshold, months=12
    )


def dibao_rule(household: Household, property: Property, writers: Writers) -> bool:
    """低保: per-capita monthly income below the standard, and the 低保 property limits met."""
    income_ok = household.below(household.total_income, household.limits.standard_year)
    passed = income_ok and property.passed

    if writers is not None:

        def write() -> Reason:
            text = _monthly_income_line(household, "<", income_ok, "低保标准", household.standard)
            family = [
                (
                    income_ok,
                    household.said_per_capita(
                        "家庭人均月收入", household.total_income, "低保标准", household.standard, months=12
                    ),
                ),
                (property.passed, property.family(household)),
            ]
            return Reason(
                "dibao", passed, f"{text}；{property.verdict}。", family_text=family_sentence(family, passed)
            )

        writers.append(write)
    return passed


def marginal_rule(household: Household, property: Property, writers: Writers) -> bool:
    """低保边缘: per-capita monthly income from the standard up to its multiple, and the marginal property
    limits met."""
    low_ok = not household.below(household.total_income, household.limits.standard_year)  # standard ≤ income
    high_ok = household.below(household.total_income, household.limits.marginal_year, strict=False)
    passed = low_ok and high_ok and property.passed

    if writers is not None:

        def write() -> Reason:
            multiplier = household.parameters.marginal_multiplier
            std = household.standard
            income = household.per_capita(household.total_income, months=12)
            if low_ok and high_ok:
                text = (
                    f"低保标准 {fmt(std)} ≤ 人均月收入 {fmt(income)} ≤ "
                    f"{plain(multiplier)}倍低保标准 {fmt(multiplier * std)}"
                )
                income_said = (
                    f"家庭人均月收入 {fmt(income)} 元，在低保标准 {fmt(std)} 元至"
                    f"{plain(multiplier)}倍低保标准 {fmt(multiplier * std)} 元之间"
                )
            elif not low_ok:
                text = _monthly_income_line(household, "<", True, "低保标准", std)
                said = household.said_per_capita(
                    "家庭人均月收入", household.total_income, "低保标准", std, months=12
                )
                income_said = f"{said}，不在低保边缘家庭的收入范围内"
            else:
                text = _monthly_income_line(
                    household, "≤", False, f"{plain(multiplier)}倍低保标准", multiplier * std
                )
                income_said = household.said_per_capita(
                    "家庭人均月收入",
                    household.total_income,
                    f"{plain(multiplier)}倍低保标准",
                    multiplier * std,
                    months=12,
                )
            family = [(low_ok and high_ok, income_said), (property.passed, property.family(household))]
            return Reason(
                "marginal",
                passed,
                f"{text}；{property.verdict}。",
                family_text=family_sentence(family, passed),
            )

        writers.append(write)
    return passed


def dibao_single_rules(household: Household, writers: Writers, *, marginal: bool) -> list[bool]:
    """参照单人户纳入低保: one verdict per counted member of a marginal household (seriously ill or severely
    disabled); none otherwise, and one negative reason."""
    if not marginal:
        if writers is not None:
            text = "家庭不属于低保边缘家庭，不适用参照单人户纳入低保。"
            writers.append(partial(Reason, "dibao_single", False, text, family_text=text))
        return []
    if writers is not None:
        writers += [partial(_dibao_single_reason, member) for member in household.counted]
    return [bool(member.serious_illness or is_severely_disabled(member)) for member in household.counted]


def _dibao_single_reason(member: MemberFacts) -> Reason:
    conditions = [
        text
        for holds, text in ((member.serious_illness, "患重病"), (is_severely_disabled(member), "重度残疾"))
        if holds
    ]
    if conditions:
        family = f"{'、'.join(conditions)}，低保边缘家庭成员参照单人户纳入低保。"
        detail = f"{who(member)}：{family}"
    else:
        family = "未患重病，也无重度残疾，不参照单人户纳入低保。"
        detail = f"{who(member)}：无重病或重度残疾，不参照单人户纳入低保。"
    return Reason("dibao_single", bool(conditions), detail, member=member.ref, family_text=family)


def _overlap(others: frozenset[str]) -> str:
    return "、".join(CATEGORY_LABELS[code] for code in ordered(others))


def monitoring_rule(
    household: Household, property: Property, writers: Writers, *, others: frozenset[str]
) -> bool:
    """防止返贫监测: per-capita annual income below the monitoring standard, and the marginal property limits
    met; marked as an overlap with the other categories found."""
    standard = household.limits.monitoring
    income_ok = household.below(household.total_income, standard)
    passed = income_ok and property.passed

    if writers is not None:

        def write() -> Reason:
            text = household.sentence_per_capita(
                "人均年收入", household.total_income, "<", income_ok, "防止返贫监测标准", standard
            )
            detail = f"{text}；{property.verdict}"
            family = [
                (
                    income_ok,
                    household.said_per_capita(
                        "家庭人均年收入", household.total_income, "防止返贫监测标准", standard
                    ),
                ),
                (property.passed, property.family(household)),
            ]
            if passed and others:
                detail += f"；与{_overlap(others)}重复，予以标识"
                family.append((True, f"同时属于{_overlap(others)}，两项政策重叠，予以标识"))
            return Reason("monitoring", passed, detail + "。", family_text=family_sentence(family, passed))

        writers.append(write)
    return passed


def rigid_expense_rule(
    household: Household, property: Property, writers: Writers, *, others: frozenset[str]
) -> bool:
    """刚性支出困难: none of the other categories, per-capita annual income below the disposable income,
    rigid expenses above the income × the ratio, and the marginal property limits met."""
    if others:
        text = f"已属于{_overlap(others)}，不再认定刚性支出困难家庭。"
        if writers is not None:
            writers.append(partial(Reason, "rigid_expense", False, text, family_text=text))
        return False
    limits = household.limits
    expenses = household.snapshot.annual_rigid_expenses.total
    income_ok = household.below(household.total_income, limits.disposable)
    expense_limit = household.total_income * limits.ratio
    expense_ok = expenses > expense_limit
    passed = income_ok and expense_ok and property.passed

    if writers is not None:

        def write() -> Reason:
            hukou = household.snapshot.hukou_type
            disposable_label = f"上年度{_HUKOU_LABELS.get(hukou, '')}居民人均可支配收入"
            income_text = household.sentence_per_capita(
                "人均年收入", household.total_income, "<", income_ok, disposable_label, limits.disposable
            )
            ratio = limits.ratio
            expense_text = sentence(
                "年刚性支出",
                expenses,
                ">",
                expense_ok,
                f"家庭年收入 {fmt(household.total_income)} × {plain(ratio)} =",
                expense_limit,
            )
            shown_expenses, shown_limit = pair(expenses, expense_limit)
            exceeds = "超过" if expense_ok else "未超过"
            if ratio == 1:
                expense_said = f"家庭年刚性支出 {shown_expenses} 元，{exceeds}家庭年收入 {shown_limit} 元"
            else:
                expense_said = (
                    f"家庭年刚性支出 {shown_expenses} 元，{exceeds}家庭年收入 "
                    f"{fmt(household.total_income)} 元的 {plain(ratio)} 倍（{shown_limit} 元）"
                )
            family = [
                (
                    income_ok,
                    household.said_per_capita(
                        "家庭人均年收入", household.total_income, disposable_label, limits.disposable
                    ),
                ),
                (expense_ok, expense_said),
                (property.passed, property.family(household)),
            ]
            return Reason(
                "rigid_expense",
                passed,
                f"{income_text}；{expense_text}；{property.verdict}。",
                family_text=family_sentence(family, passed),
            )

        writers.append(write)
    return passed
