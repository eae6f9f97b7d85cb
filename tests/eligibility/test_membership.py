"""§3.1: which members count, and by which rule (evaluated on 2025-06-01)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eligibility.engine import age_on

from .builders import household, member, member_rules, run

APART = {"lives_together": False, "shares_finances": False}


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        pytest.param(member("x", "spouse", **APART), (True, "spouse"), id="spouse-living-apart"),
        pytest.param(
            member("x", "child", born="2007-06-02", **APART), (True, "minor_child"), id="child-day-before-18"
        ),
        pytest.param(
            member("x", "child", born="2007-06-01", **APART), (False, "not_included"), id="child-turns-18"
        ),
        pytest.param(
            member(
                "x", "child", born="2003-01-01", full_time_student=True, education_level="bachelor", **APART
            ),
            (True, "student_child"),
            id="bachelor-student",
        ),
        pytest.param(
            member(
                "x",
                "child",
                born="2003-01-01",
                full_time_student=True,
                education_level="higher_vocational",
                **APART,
            ),
            (True, "student_child"),
            id="higher-vocational-student",
        ),
        pytest.param(
            member(
                "x", "child", born="2000-01-01", full_time_student=True, education_level="master", **APART
            ),
            (False, "not_included"),
            id="master-student-apart",
        ),
        pytest.param(
            member(
                "x", "child", born="1998-01-01", full_time_student=True, education_level="doctorate", **APART
            ),
            (False, "not_included"),
            id="doctoral-student-apart",
        ),
        pytest.param(
            member("x", "child", born="2000-01-01", full_time_student=True, education_level="master"),
            (True, "supporting_relative"),
            id="master-student-sharing-finances",
        ),
        pytest.param(
            member("x", "child", born="2003-01-01", full_time_student=True, **APART),
            (False, "not_included"),
            id="student-level-unknown",
        ),
        pytest.param(
            member("x", "child", born="2003-01-01", education_level="bachelor", **APART),
            (False, "not_included"),
            id="bachelor-not-full-time",
        ),
        pytest.param(
            member(
                "x",
                "child",
                born="1995-01-01",
                labor="partial",
                disability_grade=4,
                disability_type="physical",
                **APART,
            ),
            (True, "dependent_adult_child"),
            id="disabled-adult-child",
        ),
        pytest.param(
            member("x", "child", born="1995-01-01", labor="none", serious_illness=True, **APART),
            (True, "dependent_adult_child"),
            id="ill-adult-child",
        ),
        pytest.param(
            member("x", "child", born="1995-01-01", labor="full", serious_illness=True, **APART),
            (False, "not_included"),
            id="ill-adult-child-able-to-work",
        ),
        pytest.param(
            member("x", "child", born="1995-01-01", labor="partial", **APART),
            (False, "not_included"),
            id="adult-child-partial-labor-no-illness",
        ),
        pytest.param(
            member("x", "child", born="1995-01-01", marital_status="unmarried", lives_together=False),
            (True, "supporting_relative"),
            id="unmarried-adult-child-sharing-finances",
        ),
        pytest.param(
            member("x", "parent", born="1950-01-01", shares_finances=False),
            (True, "supporting_relative"),
            id="parent-living-together",
        ),
        pytest.param(
            member("x", "parent", born="1950-01-01", **APART), (False, "not_included"), id="parent-apart"
        ),
        pytest.param(
            member("x", "grandparent", born="1935-01-01"), (True, "supporting_relative"), id="grandparent"
        ),
        pytest.param(
            member("x", "grandchild", born="2015-01-01"), (True, "supporting_relative"), id="grandchild"
        ),
        pytest.param(
            member("x", "sibling", born="1985-01-01", lives_together=False),
            (True, "supporting_relative"),
            id="sibling-sharing-finances",
        ),
        pytest.param(
            member("x", "other", born="1985-01-01"), (False, "not_included"), id="other-never-counts"
        ),
        pytest.param(member("x", "spouse", imprisoned=True), (False, "imprisoned"), id="imprisoned-spouse"),
        pytest.param(
            member("x", "child", born="2010-01-01", imprisoned=True),
            (False, "imprisoned"),
            id="imprisoned-minor",
        ),
        pytest.param(member("x", "parent", imprisoned=True), (False, "imprisoned"), id="imprisoned-parent"),
    ],
)
def test_member_rule(other: dict[str, Any], expected: tuple[bool, str]) -> None:
    evaluation = run(household(member("a", "applicant"), other))

    assert member_rules(evaluation) == {"a": (True, "applicant"), "x": expected}


def test_applicant_always_counts_even_living_apart_without_shared_finances() -> None:
    evaluation = run(household(member("a", "applicant", **APART)))

    assert member_rules(evaluation) == {"a": (True, "applicant")}


def test_imprisoned_spouse_income_is_left_out_of_the_household() -> None:
    evaluation = run(
        household(
            member("a", "applicant", income="6000"),
            member("s", "spouse", income="50000", imprisoned=True),
        )
    )

    assert member_rules(evaluation)["s"] == (False, "imprisoned")
    assert evaluation.to_json()["per_capita_annual_income"] == "6000.00"
    assert evaluation.to_json()["per_capita_monthly_income"] == "500.00"
    assert evaluation.categories == ("dibao", "monitoring")


def test_uncounted_members_add_neither_income_nor_heads() -> None:
    evaluation = run(
        household(
            member("a", "applicant", income="6000"),
            member("c", "child", born="1990-01-01", income="90000", **APART),
            member("o", "other", income="0"),
        )
    )

    assert evaluation.per_capita_annual_income == 6000
    assert [m.counted for m in evaluation.members] == [True, False, False]


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2007, 6, 2), date(2025, 6, 1), 17),
        (date(2007, 6, 1), date(2025, 6, 1), 18),
        (date(1965, 6, 2), date(2025, 6, 1), 59),
        (date(1965, 6, 1), date(2025, 6, 1), 60),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # born on 29 February: a year older on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2025, 6, 1), date(2025, 6, 1), 0),
    ],
)
def test_age_in_whole_years(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


def test_leap_day_child_is_a_minor_until_first_of_march() -> None:
    child = member("c", "child", born="2007-02-28", **APART)
    leap_child = member("c", "child", born="2004-02-29", **APART)
    on_feb_28 = household(member("a"), leap_child) | {"as_of": "2022-02-28"}
    on_mar_1 = household(member("a"), leap_child) | {"as_of": "2022-03-01"}
    plain = household(member("a"), child) | {"as_of": "2025-02-28"}

    assert member_rules(run(on_feb_28))["c"] == (True, "minor_child")
    assert member_rules(run(on_mar_1))["c"] == (False, "not_included")
    assert member_rules(run(plain))["c"] == (False, "not_included")
