"""Each reason names its member by ref and says in a sentence what failed (issue 8 point 6)."""

from .builders import household, member, run


def _reasons(evaluation, rule):
    return [r for r in evaluation.reasons if r.rule == rule]


def test_a_failed_household_rule_says_what_failed_in_a_sentence() -> None:
    evaluation = run(household(member("a", income="7800")))
    (dibao,) = _reasons(evaluation, "dibao")
    assert (dibao.passed, dibao.member) == (False, None)
    assert dibao.family_text == "家庭人均月收入 650.00 元，高于低保标准 600.00 元。"
    (marginal,) = _reasons(evaluation, "marginal")
    assert marginal.family_text == (
        "家庭人均月收入 650.00 元，在低保标准 600.00 元至2倍低保标准 1200.00 元之间；"
        "家庭财产符合低保边缘条件。"
    )


def test_only_the_failed_property_limits_are_named() -> None:
    data = household(member("a", income="0"), assets={"financial_assets": "9000", "motor_vehicles": 1})
    evaluation = run(data)
    (dibao,) = _reasons(evaluation, "dibao")
    assert dibao.family_text == (
        "家庭财产超出低保条件：家庭人均金融资产 9000.00 元，高于12个月低保标准合计 7200.00 元；"
        "家庭有机动车 1 辆，低保不允许拥有机动车。"
    )


def test_member_rules_carry_the_member_ref_not_a_name_in_the_text() -> None:
    data = household(
        member("a", born="1950-01-01", labor="none", income="2000", name="张三"),
        member("c", "child", born="1980-01-01", income="50000", name="张小明"),
    )
    evaluation = run(data)
    tekun = {r.member: r for r in _reasons(evaluation, "tekun")}
    assert set(tekun) == {"a", "c"}
    assert tekun["a"].passed is False
    assert tekun["a"].family_text == "有能够履行赡养、扶养或抚养义务的法定义务人：张小明。"
    assert evaluation.to_json()["reasons"][2]["member"] == "a"
    assert "✘" not in tekun["a"].family_text
    assert "<" not in tekun["a"].family_text
