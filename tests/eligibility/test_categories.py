"""§3.2: categories, at and beside every boundary (rural 低保 standard 600, urban 780, on 2025-06-01)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from eligibility.engine import evaluate, medical_assistance_ratio
from eligibility.parameters import PARAMETER_DEFAULTS, ParameterSet, default_parameter_set
from eligibility.snapshot import validate_snapshot

from .builders import household, member, reason, run

ELDERLY = {"born": "1950-01-01", "labor": "partial"}  # 75 on the evaluation date


# --- 低保 / 低保边缘 income lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("income", "hukou", "categories", "dibao_detail", "marginal_detail"),
    [
        pytest.param(
            "7199.88",
            "rural",
            ("dibao", "monitoring"),
            "人均月收入 599.99 < 低保标准 600.00；家庭财产符合低保条件。",
            "人均月收入 599.99 < 低保标准 600.00；家庭财产符合低保边缘条件。",
            id="one-fen-below-standard",
        ),
        pytest.param(
            "7199.99",
            "rural",
            ("dibao", "monitoring"),
            "人均月收入 599.999 < 低保标准 600.000；家庭财产符合低保条件。",
            "人均月收入 599.999 < 低保标准 600.000；家庭财产符合低保边缘条件。",
            id="one-fen-a-year-below-standard-shown-with-more-places",
        ),
        pytest.param(
            "7200",
            "rural",
            ("marginal", "monitoring"),
            "人均月收入 600.00 ≥ 低保标准 600.00；家庭财产符合低保条件。",
            "低保标准 600.00 ≤ 人均月收入 600.00 ≤ 2倍低保标准 1200.00；家庭财产符合低保边缘条件。",
            id="equal-to-standard-is-marginal",
        ),
        pytest.param(
            "14400",
            "rural",
            ("marginal",),
            "人均月收入 1200.00 ≥ 低保标准 600.00；家庭财产符合低保条件。",
            "低保标准 600.00 ≤ 人均月收入 1200.00 ≤ 2倍低保标准 1200.00；家庭财产符合低保边缘条件。",
            id="exactly-twice-standard-is-marginal",
        ),
        pytest.param(
            "14400.12",
            "rural",
            (),
            "人均月收入 1200.01 ≥ 低保标准 600.00；家庭财产符合低保条件。",
            "人均月收入 1200.01 > 2倍低保标准 1200.00；家庭财产符合低保边缘条件。",
            id="one-fen-above-twice-standard",
        ),
        pytest.param(
            "14400.01",
            "rural",
            (),
            "人均月收入 1200.00 ≥ 低保标准 600.00；家庭财产符合低保条件。",
            "人均月收入 1200.001 > 2倍低保标准 1200.000；家庭财产符合低保边缘条件。",
            id="one-fen-a-year-above-twice-standard",
        ),
        pytest.param(
            "9359.88",
            "urban",
            ("dibao",),
            "人均月收入 779.99 < 低保标准 780.00；家庭财产符合低保条件。",
            "人均月收入 779.99 < 低保标准 780.00；家庭财产符合低保边缘条件。",
            id="urban-one-fen-below",
        ),
        pytest.param(
            "9360",
            "urban",
            ("marginal",),
            "人均月收入 780.00 ≥ 低保标准 780.00；家庭财产符合低保条件。",
            "低保标准 780.00 ≤ 人均月收入 780.00 ≤ 2倍低保标准 1560.00；家庭财产符合低保边缘条件。",
            id="urban-equal",
        ),
    ],
)
def test_income_lines(
    income: str, hukou: str, categories: tuple[str, ...], dibao_detail: str, marginal_detail: str
) -> None:
    evaluation = run(household(member(income=income), hukou=hukou))

    assert evaluation.categories == categories
    assert reason(evaluation, "dibao") == ("dibao" in categories, dibao_detail)
    assert reason(evaluation, "marginal") == ("marginal" in categories, marginal_detail)


def test_per_capita_income_of_three_counted_members() -> None:
    evaluation = run(
        household(
            member("a", income="12000"),
            member("s", "spouse", income="9000"),
            member("c", "child", born="2012-03-01"),
        )
    )

    assert evaluation.per_capita_annual_income == Decimal(7000)
    assert evaluation.to_json()["per_capita_monthly_income"] == "583.33"
    assert reason(evaluation, "dibao") == (
        True,
        "人均月收入 583.33 < 低保标准 600.00；家庭财产符合低保条件。",
    )


def test_monthly_per_capita_is_kept_unrounded() -> None:
    evaluation = run(household(member("a", income="21000"), member("s", "spouse"), member("p", "parent")))

    assert evaluation.per_capita_monthly_income * 36 == pytest.approx(Decimal(21000), abs=Decimal("1e-20"))
    assert evaluation.per_capita_monthly_income != Decimal("583.33")


# --- property limits -------------------------------------------------------------------------------


def _with_assets(income: str, members: int = 1, hukou: str = "rural", **assets: Any) -> dict[str, Any]:
    people = [member("a", income=income)] + [member(f"s{i}", "sibling") for i in range(1, members)]
    return household(*people, hukou=hukou, assets=assets)


@pytest.mark.parametrize(
    ("value", "categories", "vehicle_text"),
    [
        ("14400.00", (), "机动车价值 14400.00 ≥ 24个月低保标准 14400.00"),
        ("14399.99", ("marginal",), "机动车价值 14399.99 < 24个月低保标准 14400.00"),
    ],
)
def test_vehicle_value_must_be_strictly_below_24_months(
    value: str, categories: tuple[str, ...], vehicle_text: str
) -> None:
    evaluation = run(_with_assets("9000", motor_vehicles=1, motor_vehicle_value=value))

    assert evaluation.categories == categories
    passed = categories == ("marginal",)
    verdict = "符合" if passed else "不符合"
    assert reason(evaluation, "property_marginal") == (
        passed,
        (
            f"家庭财产{verdict}低保边缘条件：人均金融资产 0.00 ≤ 24个月低保标准 14400.00；"
            f"机动车 1 辆 ≤ 允许 1 辆；"
            f"{vehicle_text}；住房 0 套 ≤ 允许 2 套；无登记注册的经营实体"
        ),
    )


def test_vehicle_limit_uses_the_urban_standard_for_urban_households() -> None:
    evaluation = run(_with_assets("12000", hukou="urban", motor_vehicles=1, motor_vehicle_value="18719.99"))

    assert evaluation.categories == ("marginal",)
    assert "机动车价值 18719.99 < 24个月低保标准 18720.00" in reason(evaluation, "property_marginal")[1]


def test_no_vehicle_allowed_for_dibao_and_two_too_many_for_marginal() -> None:
    one_car = run(_with_assets("6000", motor_vehicles=1, motor_vehicle_value="3000"))
    two_cars = run(_with_assets("9000", motor_vehicles=2, motor_vehicle_value="3000"))

    assert one_car.categories == ("monitoring",)
    assert "机动车 1 辆 > 允许 0 辆" in reason(one_car, "property_dibao")[1]
    assert reason(one_car, "dibao") == (
        False,
        "人均月收入 500.00 < 低保标准 600.00；家庭财产不符合低保条件。",
    )
    assert two_cars.categories == ()
    assert "机动车 2 辆 > 允许 1 辆" in reason(two_cars, "property_marginal")[1]


@pytest.mark.parametrize(
    ("financial", "categories", "dibao_text"),
    [
        ("14400.00", ("dibao", "monitoring"), "人均金融资产 7200.00 ≤ 12个月低保标准 7200.00"),
        ("14400.01", ("monitoring",), "人均金融资产 7200.01 > 12个月低保标准 7200.00"),
        ("28800.00", ("monitoring",), "人均金融资产 14400.00 > 12个月低保标准 7200.00"),
        ("28800.01", (), "人均金融资产 14400.01 > 12个月低保标准 7200.00"),
    ],
)
def test_financial_assets_per_counted_member_at_the_limit_are_allowed(
    financial: str, categories: tuple[str, ...], dibao_text: str
) -> None:
    evaluation = run(_with_assets("0", members=2, financial_assets=financial))

    assert evaluation.categories == categories
    assert dibao_text in reason(evaluation, "property_dibao")[1]


@pytest.mark.parametrize(
    ("houses", "categories", "dibao_text", "marginal_text"),
    [
        (1, ("dibao", "monitoring"), "住房 1 套 ≤ 允许 1 套", "住房 1 套 ≤ 允许 2 套"),
        (2, ("monitoring",), "住房 2 套 > 允许 1 套", "住房 2 套 ≤ 允许 2 套"),
        (3, (), "住房 3 套 > 允许 1 套", "住房 3 套 > 允许 2 套"),
    ],
)
def test_dwellings(houses: int, categories: tuple[str, ...], dibao_text: str, marginal_text: str) -> None:
    evaluation = run(_with_assets("6000", houses=houses))

    assert evaluation.categories == categories
    assert dibao_text in reason(evaluation, "property_dibao")[1]
    assert marginal_text in reason(evaluation, "property_marginal")[1]


def test_income_over_the_line_with_property_over_dibao_limits() -> None:
    """Marginal needs income ≥ the standard (DESIGN §3.2, plan 二(一)2(3)), so a poorer household whose
    property is over the 低保 limits but within the marginal ones is only monitored, while the same
    household with more income is marginal. Kept as the rules say; reported to the design's owner."""
    poorer = run(household(member("a"), member("s", "spouse"), assets={"houses": 2}))
    richer = run(household(member("a", income="14400"), member("s", "spouse"), assets={"houses": 2}))

    assert poorer.categories == ("monitoring",)
    assert reason(poorer, "marginal") == (
        False,
        "人均月收入 0.00 < 低保标准 600.00；家庭财产符合低保边缘条件。",
    )
    assert richer.categories == ("marginal", "monitoring")


def test_registered_business_excludes_every_category() -> None:
    evaluation = run(_with_assets("6000", registered_business=True))

    assert evaluation.categories == ()
    assert reason(evaluation, "property_dibao") == (
        False,
        (
            "家庭财产不符合低保条件：人均金融资产 0.00 ≤ 12个月低保标准 7200.00；机动车 0 辆 ≤ 允许 0 辆；"
            "住房 0 套 ≤ 允许 1 套；有登记注册的经营实体"
        ),
    )


def test_business_allowed_by_parameter_is_not_checked() -> None:
    values = {default.code: default.value for default in PARAMETER_DEFAULTS} | {
        "business_allowed_dibao": Decimal(1)
    }
    evaluation = run(_with_assets("6000", registered_business=True), ParameterSet.from_values(values))

    assert evaluation.categories == ("dibao",)
    assert reason(evaluation, "property_dibao")[1].endswith("住房 0 套 ≤ 允许 1 套")


# --- 特困 --------------------------------------------------------------------------------------------


def test_tekun_elderly_alone() -> None:
    evaluation = run(household(member("a", born="1965-06-01", labor="partial")))

    assert evaluation.categories == ("tekun", "dibao", "monitoring")
    assert evaluation.primary_category == "tekun"
    assert evaluation.members[0].categories == ("tekun",)
    assert reason(evaluation, "tekun", "a") == (
        True,
        (
            "成员 a：老年人（60周岁）；无劳动能力（年满60周岁）；本人年收入 0.00 < 12个月低保标准 7200.00；"
            "无有能力履行义务的法定义务人；家庭财产符合低保条件。"
        ),
    )


def test_tekun_not_the_day_before_the_60th_birthday() -> None:
    evaluation = run(household(member("a", born="1965-06-02", labor="partial")))

    assert evaluation.categories == ("dibao", "monitoring")
    assert reason(evaluation, "tekun", "a") == (False, "成员 a：不属于老年人、残疾人或未成年人（59周岁）。")


@pytest.mark.parametrize(
    ("spouse", "tekun"),
    [
        pytest.param(member("s", "spouse", born="1975-01-01"), False, id="able-spouse"),
        pytest.param(member("s", "spouse", born="1975-01-01", imprisoned=True), True, id="imprisoned-spouse"),
        pytest.param(member("s", "spouse", born="1975-01-01", labor="none"), True, id="spouse-without-labor"),
        pytest.param(
            member("s", "spouse", born="1975-01-01", labor="none", income="7200"),
            False,
            id="spouse-with-pension",
        ),
    ],
)
def test_tekun_depends_on_the_spouse_as_supporter(spouse: dict[str, Any], tekun: bool) -> None:
    evaluation = run(household(member("a", **ELDERLY), spouse))

    supporters = "无有能力履行义务的法定义务人" if tekun else "有能力履行义务的法定义务人：s"
    assert reason(evaluation, "tekun", "a") == (
        tekun,
        (
            "成员 a：老年人（75周岁）；无劳动能力（年满60周岁）；本人年收入 0.00 < 12个月低保标准 7200.00；"
            f"{supporters}；家庭财产符合低保条件。"
        ),
    )
    assert evaluation.members[0].categories == (("tekun",) if tekun else ())


def test_elderly_couple_without_income_are_both_tekun() -> None:
    evaluation = run(household(member("a", **ELDERLY), member("s", "spouse", born="1948-01-01")))

    assert [m.categories for m in evaluation.members] == [("tekun",), ("tekun",)]
    assert evaluation.categories == ("tekun", "dibao", "monitoring")


def test_tekun_needs_own_income_below_twelve_months_of_the_standard() -> None:
    evaluation = run(household(member("a", income="7200", **ELDERLY)))

    assert evaluation.categories == ("marginal", "monitoring")
    assert "本人年收入 7200.00 ≥ 12个月低保标准 7200.00" in reason(evaluation, "tekun", "a")[1]


@pytest.mark.parametrize(
    ("supporter", "tekun", "text"),
    [
        (
            {"supports": "a", "relation": "child", "able_to_support": True, "name": "柯明"},
            False,
            "有能力履行义务的法定义务人：柯明（子女）",
        ),
        (
            {"supports": "a", "relation": "child", "able_to_support": True},
            False,
            "有能力履行义务的法定义务人：外部义务人（子女）",
        ),
        (
            {"supports": "a", "relation": "child", "able_to_support": False, "name": "柯明"},
            True,
            "无有能力履行义务的法定义务人",
        ),
    ],
)
def test_tekun_with_external_supporter(supporter: dict[str, Any], tekun: bool, text: str) -> None:
    evaluation = run(household(member("a", **ELDERLY), external_supporters=[supporter]))

    passed, detail = reason(evaluation, "tekun", "a")
    assert passed is tekun
    assert text in detail


def test_external_supporter_of_another_member_does_not_count() -> None:
    supporter = {"supports": "s", "relation": "child", "able_to_support": True}
    evaluation = run(
        household(member("a", **ELDERLY), member("s", "spouse", **ELDERLY), external_supporters=[supporter])
    )

    assert [m.categories for m in evaluation.members] == [("tekun",), ()]


@pytest.mark.parametrize(
    ("disability", "tekun", "labor_text"),
    [
        ({"disability_grade": 3, "disability_type": "intellectual"}, True, "无劳动能力（重度残疾）"),
        ({"disability_grade": 2, "disability_type": "physical"}, True, "无劳动能力（重度残疾）"),
        ({"disability_grade": 3, "disability_type": "physical"}, False, "有劳动能力"),
    ],
)
def test_tekun_disabled_adult(disability: dict[str, Any], tekun: bool, labor_text: str) -> None:
    evaluation = run(household(member("a", born="1985-01-01", labor="partial", **disability)))

    passed, detail = reason(evaluation, "tekun", "a")
    assert passed is tekun
    assert detail.startswith(f"成员 a：残疾人；{labor_text}；")


@pytest.mark.parametrize(("born", "tekun", "age"), [("2009-06-02", True, 15), ("2009-06-01", False, 16)])
def test_tekun_minor_orphan_has_labor_capacity_from_16(born: str, tekun: bool, age: int) -> None:
    evaluation = run(household(member("a", born=born)))

    passed, detail = reason(evaluation, "tekun", "a")
    assert passed is tekun
    labor = "无劳动能力（未满16周岁）" if tekun else "有劳动能力"
    assert detail.startswith(f"成员 a：未成年人（{age}周岁）；{labor}；")


def test_minor_child_of_an_able_parent_is_not_tekun() -> None:
    evaluation = run(household(member("a", income="6000"), member("c", "child", born="2015-01-01")))

    assert reason(evaluation, "tekun", "c") == (
        False,
        (
            "成员 c：未成年人（10周岁）；无劳动能力（未满16周岁）；本人年收入 0.00 < 12个月低保标准 7200.00；"
            "有能力履行义务的法定义务人：a；家庭财产符合低保条件。"
        ),
    )
    assert evaluation.categories == ("dibao", "monitoring")


def test_tekun_needs_property_within_dibao_limits() -> None:
    evaluation = run(household(member("a", **ELDERLY), assets={"houses": 2}))

    assert evaluation.categories == ("monitoring",)
    assert reason(evaluation, "tekun", "a")[1].endswith("；家庭财产不符合低保条件。")


def test_uncounted_member_is_a_supporter_but_never_tekun() -> None:
    evaluation = run(
        household(
            member("a", **ELDERLY),
            member("c", "child", born="1978-01-01", lives_together=False, shares_finances=False),
            member(
                "p", "parent", born="1930-01-01", labor="none", lives_together=False, shares_finances=False
            ),
        )
    )

    assert [(m.counted, m.categories) for m in evaluation.members] == [(True, ()), (False, ()), (False, ())]
    only_tekun_reason = reason(evaluation, "tekun")  # the counted applicant's; asserts there is one
    assert only_tekun_reason[1].startswith("成员 a：")
    assert "有能力履行义务的法定义务人：c；" in only_tekun_reason[1]


# --- 单人户低保 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        ({"serious_illness": True}, "患重病"),
        ({"disability_grade": 2, "disability_type": "visual"}, "重度残疾"),
        ({"disability_grade": 3, "disability_type": "mental", "serious_illness": True}, "患重病、重度残疾"),
    ],
)
def test_dibao_single_for_seriously_ill_or_disabled_member_of_marginal_household(
    condition: dict[str, Any], text: str
) -> None:
    evaluation = run(household(member("a", income="16800"), member("s", "spouse", **condition)))

    assert evaluation.categories == ("dibao_single", "marginal")
    assert evaluation.primary_category == "dibao_single"
    assert [m.categories for m in evaluation.members] == [(), ("dibao_single",)]
    assert reason(evaluation, "dibao_single", "a") == (
        False,
        "成员 a：无重病或重度残疾，不参照单人户纳入低保。",
    )
    assert reason(evaluation, "dibao_single", "s") == (
        True,
        f"成员 s：{text}，低保边缘家庭成员参照单人户纳入低保。",
    )


def test_no_dibao_single_for_grade_4_disability() -> None:
    evaluation = run(
        household(
            member("a", income="16800"), member("s", "spouse", disability_grade=4, disability_type="physical")
        )
    )

    assert evaluation.categories == ("marginal",)


def test_no_dibao_single_outside_a_marginal_household() -> None:
    evaluation = run(household(member("a", income="6000"), member("s", "spouse", serious_illness=True)))

    assert evaluation.categories == ("dibao", "monitoring")
    assert reason(evaluation, "dibao_single") == (False, "家庭不属于低保边缘家庭，不适用参照单人户纳入低保。")


# --- 防止返贫监测 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("income", "categories", "detail"),
    [
        (
            "7799.99",
            ("marginal", "monitoring"),
            (
                "人均年收入 7799.99 < 防止返贫监测标准 7800.00；家庭财产符合低保边缘条件；"
                "与低保边缘重复，予以标识。"
            ),
        ),
        ("7800", ("marginal",), "人均年收入 7800.00 ≥ 防止返贫监测标准 7800.00；家庭财产符合低保边缘条件。"),
        (
            "3000",
            ("dibao", "monitoring"),
            "人均年收入 3000.00 < 防止返贫监测标准 7800.00；家庭财产符合低保边缘条件；与低保重复，予以标识。",
        ),
    ],
)
def test_monitoring_line_and_overlap_mark(income: str, categories: tuple[str, ...], detail: str) -> None:
    evaluation = run(household(member(income=income)))

    assert evaluation.categories == categories
    assert reason(evaluation, "monitoring") == ("monitoring" in categories, detail)


def test_monitoring_alone_is_not_marked_as_overlap() -> None:
    evaluation = run(household(member(income="6000"), assets={"houses": 2}))

    assert evaluation.categories == ("monitoring",)
    assert evaluation.primary_category == "monitoring"
    assert reason(evaluation, "monitoring") == (
        True,
        "人均年收入 6000.00 < 防止返贫监测标准 7800.00；家庭财产符合低保边缘条件。",
    )


def test_monitoring_needs_property_within_marginal_limits() -> None:
    evaluation = run(household(member(income="6000"), assets={"houses": 3}))

    assert reason(evaluation, "monitoring") == (
        False,
        "人均年收入 6000.00 < 防止返贫监测标准 7800.00；家庭财产不符合低保边缘条件。",
    )


# --- 刚性支出困难 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("income", "hukou", "expenses", "passed", "detail"),
    [
        (
            "18000",
            "rural",
            {"medical": "10000", "education": "8000.01"},
            True,
            (
                "人均年收入 18000.00 < 上年度农村居民人均可支配收入 21000.00；"
                "年刚性支出 18000.01 > 家庭年收入 18000.00 × 1 = 18000.00；家庭财产符合低保边缘条件。"
            ),
        ),
        (
            "18000",
            "rural",
            {"medical": "10000", "other": "8000"},
            False,
            (
                "人均年收入 18000.00 < 上年度农村居民人均可支配收入 21000.00；"
                "年刚性支出 18000.00 ≤ 家庭年收入 18000.00 × 1 = 18000.00；家庭财产符合低保边缘条件。"
            ),
        ),
        (
            "21000",
            "rural",
            {"medical": "30000"},
            False,
            (
                "人均年收入 21000.00 ≥ 上年度农村居民人均可支配收入 21000.00；"
                "年刚性支出 30000.00 > 家庭年收入 21000.00 × 1 = 21000.00；家庭财产符合低保边缘条件。"
            ),
        ),
        (
            "21000",
            "urban",
            {"medical": "30000"},
            True,
            (
                "人均年收入 21000.00 < 上年度城镇居民人均可支配收入 45000.00；"
                "年刚性支出 30000.00 > 家庭年收入 21000.00 × 1 = 21000.00；家庭财产符合低保边缘条件。"
            ),
        ),
    ],
)
def test_rigid_expense(income: str, hukou: str, expenses: dict[str, str], passed: bool, detail: str) -> None:
    evaluation = run(household(member(income=income), hukou=hukou, annual_rigid_expenses=expenses))

    assert reason(evaluation, "rigid_expense") == (passed, detail)
    assert evaluation.categories == (("rigid_expense",) if passed else ())


def test_rigid_expense_needs_property_within_marginal_limits() -> None:
    evaluation = run(
        household(member(income="18000"), assets={"houses": 3}, annual_rigid_expenses={"other": "20000"})
    )

    assert evaluation.categories == ()
    assert reason(evaluation, "rigid_expense")[1].endswith("；家庭财产不符合低保边缘条件。")


@pytest.mark.parametrize(
    ("members", "categories", "detail"),
    [
        ([member(income="9000")], ("marginal",), "已属于低保边缘，不再认定刚性支出困难家庭。"),
        ([member(income="3000")], ("dibao", "monitoring"), "已属于低保，不再认定刚性支出困难家庭。"),
        (
            [member("a", **ELDERLY), member("b", "sibling", born="1960-01-01", income="30000")],
            ("tekun",),
            "已属于特困，不再认定刚性支出困难家庭。",
        ),
    ],
)
def test_rigid_expense_only_when_no_other_category_but_monitoring(
    members: list[dict[str, Any]], categories: tuple[str, ...], detail: str
) -> None:
    evaluation = run(household(*members, annual_rigid_expenses={"medical": "90000"}))

    assert evaluation.categories == categories
    assert reason(evaluation, "rigid_expense") == (False, detail)


def test_rigid_expense_beside_monitoring_is_marked_as_overlap() -> None:
    evaluation = run(
        household(member(income="6000"), assets={"houses": 2}, annual_rigid_expenses={"medical": "6000.01"})
    )

    assert evaluation.categories == ("rigid_expense", "monitoring")
    assert evaluation.primary_category == "rigid_expense"
    assert reason(evaluation, "monitoring")[1].endswith("；与刚性支出困难重复，予以标识。")


# --- most favourable -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "categories", "primary"),
    [
        pytest.param(household(member(**ELDERLY)), ("tekun", "dibao", "monitoring"), "tekun", id="tekun"),
        pytest.param(
            household(
                member("a", labor="none", serious_illness=True, born="1950-01-01"),
                member("b", "sibling", born="1960-01-01", income="16800"),
            ),
            ("tekun", "dibao_single", "marginal"),
            "tekun",
            id="tekun-in-marginal-household",
        ),
        pytest.param(household(member(income="3000")), ("dibao", "monitoring"), "dibao", id="dibao"),
        pytest.param(
            household(member("a", income="16800"), member("s", "spouse", serious_illness=True)),
            ("dibao_single", "marginal"),
            "dibao_single",
            id="dibao-single",
        ),
        pytest.param(household(member(income="7500")), ("marginal", "monitoring"), "marginal", id="marginal"),
        pytest.param(
            household(member(income="6000"), assets={"houses": 2}, annual_rigid_expenses={"medical": "7000"}),
            ("rigid_expense", "monitoring"),
            "rigid_expense",
            id="rigid-expense",
        ),
        pytest.param(
            household(member(income="6000"), assets={"houses": 2}),
            ("monitoring",),
            "monitoring",
            id="monitoring",
        ),
        pytest.param(household(member(income="50000")), (), None, id="none"),
    ],
)
def test_primary_category_is_the_most_favourable(
    data: dict[str, Any], categories: tuple[str, ...], primary: str | None
) -> None:
    evaluation = run(data)

    assert evaluation.categories == categories
    assert evaluation.primary_category == primary
    assert evaluation.to_json()["primary_category"] == primary
    assert "case_by_case" not in evaluation.categories


# --- the JSON contract -------------------------------------------------------------------------------


def test_to_json_has_exactly_the_contract_shape() -> None:
    values = {default.code: default.value for default in PARAMETER_DEFAULTS}
    parameters = ParameterSet.from_values(values, refs=["policy-parameter:17", "policy-parameter:18"])
    data = household(
        member("a", income="7199.88"),
        member("x", "other", born="1990-01-01", income="1000"),
    )

    assert run(data, parameters).to_json() == {
        "as_of": "2025-06-01",
        "categories": ["dibao", "monitoring"],
        "primary_category": "dibao",
        "per_capita_monthly_income": "599.99",
        "per_capita_annual_income": "7199.88",
        "members": [
            {"ref": "a", "counted": True, "rule": "applicant", "categories": []},
            {"ref": "x", "counted": False, "rule": "not_included", "categories": []},
        ],
        "reasons": [
            {
                "rule": "property_dibao",
                "passed": True,
                "detail": "家庭财产符合低保条件：人均金融资产 0.00 ≤ 12个月低保标准 7200.00；"
                "机动车 0 辆 ≤ 允许 0 辆；住房 0 套 ≤ 允许 1 套；无登记注册的经营实体",
                "member": None,
                "family_text": "家庭财产符合低保条件。",
            },
            {
                "rule": "property_marginal",
                "passed": True,
                "detail": "家庭财产符合低保边缘条件：人均金融资产 0.00 ≤ 24个月低保标准 14400.00；"
                "机动车 0 辆 ≤ 允许 1 辆；住房 0 套 ≤ 允许 2 套；无登记注册的经营实体",
                "member": None,
                "family_text": "家庭财产符合低保边缘条件。",
            },
            {
                "rule": "tekun",
                "passed": False,
                "detail": "成员 a：不属于老年人、残疾人或未成年人（45周岁）。",
                "member": "a",
                "family_text": "年龄45周岁，不属于老年人、残疾人或未成年人，不符合特困人员条件。",
            },
            {
                "rule": "dibao",
                "passed": True,
                "detail": "人均月收入 599.99 < 低保标准 600.00；家庭财产符合低保条件。",
                "member": None,
                "family_text": "家庭人均月收入 599.99 元，低于低保标准 600.00 元；家庭财产符合低保条件。",
            },
            {
                "rule": "marginal",
                "passed": False,
                "detail": "人均月收入 599.99 < 低保标准 600.00；家庭财产符合低保边缘条件。",
                "member": None,
                "family_text": "家庭人均月收入 599.99 元，低于低保标准 600.00 元，"
                "不在低保边缘家庭的收入范围内。",
            },
            {
                "rule": "dibao_single",
                "passed": False,
                "detail": "家庭不属于低保边缘家庭，不适用参照单人户纳入低保。",
                "member": None,
                "family_text": "家庭不属于低保边缘家庭，不适用参照单人户纳入低保。",
            },
            {
                "rule": "rigid_expense",
                "passed": False,
                "detail": "已属于低保，不再认定刚性支出困难家庭。",
                "member": None,
                "family_text": "已属于低保，不再认定刚性支出困难家庭。",
            },
            {
                "rule": "monitoring",
                "passed": True,
                "detail": "人均年收入 7199.88 < 防止返贫监测标准 7800.00；家庭财产符合低保边缘条件；"
                "与低保重复，予以标识。",
                "member": None,
                "family_text": "家庭人均年收入 7199.88 元，低于防止返贫监测标准 7800.00 元；"
                "家庭财产符合低保边缘条件；同时属于低保，两项政策重叠，予以标识。",
            },
        ],
        # §5: the cash benefits; 600.00 − 599.99 rounds to a whole 0 yuan.
        "benefits": [{"category": "dibao", "member": None, "monthly_amount": "0.00"}],
        "parameters": ["policy-parameter:17", "policy-parameter:18"],
    }


def test_custom_standard_from_parameters() -> None:
    values = {default.code: default.value for default in PARAMETER_DEFAULTS} | {
        "dibao_standard_rural": Decimal(700)
    }
    evaluation = run(household(member(income="8000")), ParameterSet.from_values(values))

    assert evaluation.categories == ("dibao",)
    assert reason(evaluation, "dibao")[1] == "人均月收入 666.67 < 低保标准 700.00；家庭财产符合低保条件。"


def test_amounts_longer_than_decimal_default_precision_stay_exact() -> None:
    """The engine stays exact past Decimal's default precision. The snapshot schema now caps amounts at
    12 integer digits, so the oversized snapshot is built past the schema pass (the rules still run)."""
    data = household(member("a", income="9" * 30 + ".99"), member("s", "spouse", income="0.01"))
    evaluation = evaluate(validate_snapshot(data, shape_checked=True), default_parameter_set())

    assert evaluation.categories == ()
    assert evaluation.to_json()["per_capita_annual_income"] == "5" + "0" * 29 + ".00"
    assert evaluation.to_json()["per_capita_monthly_income"] == "41666666666666666666666666666.67"


# --- medical assistance ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "illness", "ratio"),
    [
        (["tekun", "dibao", "monitoring"], False, Decimal(100)),
        (["dibao", "monitoring"], False, Decimal(70)),
        (["dibao_single", "marginal"], False, Decimal(70)),
        (["marginal"], False, Decimal(60)),
        (["monitoring"], True, Decimal(60)),
        (["rigid_expense"], True, Decimal(50)),
        (["rigid_expense"], False, None),
        ([], False, None),
    ],
)
def test_medical_assistance_ratio_most_favourable(
    categories: list[str], illness: bool, ratio: Decimal | None
) -> None:
    assert (
        medical_assistance_ratio(categories, default_parameter_set(), illness_impoverished=illness) == ratio
    )
