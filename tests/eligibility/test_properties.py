"""Properties of the engine over generated households (hypothesis)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.engine import CATEGORY_ORDER, Evaluation

from .builders import household, run

RELATIONS = ["spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"]
LEVELS = ["primary", "senior_secondary", "higher_vocational", "bachelor", "master", "doctorate"]


def _money(max_yuan: int) -> st.SearchStrategy[str]:
    return st.integers(min_value=0, max_value=max_yuan * 100).map(lambda fen: str(Decimal(fen) / 100))


@st.composite
def _member(draw: st.DrawFn, ref: str, relation: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ref": ref,
        "relation": relation,
        "birth_date": draw(st.dates(date(1930, 1, 1), date(2025, 6, 1))).isoformat(),
        "labor_capacity": draw(st.sampled_from(["full", "partial", "none"])),
        "annual_income": draw(st.one_of(st.just("0"), _money(12_000), _money(60_000))),
        "lives_together": draw(st.booleans()),
        "shares_finances": draw(st.booleans()),
        "serious_illness": draw(st.booleans()),
    }
    if draw(st.booleans()):
        data |= {"full_time_student": True, "education_level": draw(st.sampled_from(LEVELS))}
    if draw(st.booleans()):
        data["disability_grade"] = draw(st.integers(1, 4))
        data["disability_type"] = draw(st.sampled_from(["physical", "intellectual", "mental", "visual"]))
    if relation != "applicant":
        data["imprisoned"] = draw(st.booleans())
    return data


@st.composite
def households(draw: st.DrawFn) -> dict[str, Any]:
    relations = draw(st.lists(st.sampled_from(RELATIONS), max_size=4))
    members = [draw(_member(f"m{i}", relation)) for i, relation in enumerate(["applicant", *relations])]
    refs = [m["ref"] for m in members]
    supporters = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "supports": st.sampled_from(refs),
                    "relation": st.sampled_from(["child", "spouse", "parent"]),
                    "able_to_support": st.booleans(),
                }
            ),
            max_size=2,
        )
    )
    assets = {
        "financial_assets": draw(st.one_of(st.just("0"), _money(40_000))),
        "motor_vehicles": draw(st.sampled_from([0, 0, 1, 2])),
        "motor_vehicle_value": draw(_money(30_000)),
        "houses": draw(st.sampled_from([0, 1, 1, 2, 3])),
        "registered_business": draw(st.sampled_from([False, False, False, True])),
    }
    expenses = {"medical": draw(st.one_of(st.just("0"), _money(60_000)))}
    return household(
        *members,
        hukou=draw(st.sampled_from(["rural", "urban"])),
        assets=assets,
        annual_rigid_expenses=expenses,
        external_supporters=supporters,
    )


def _rank(code: str | None) -> int:
    return len(CATEGORY_ORDER) if code is None else CATEGORY_ORDER.index(code)


def _limits_agree(evaluation: Evaluation) -> bool:
    passed = {r.rule: r.passed for r in evaluation.reasons if r.rule.startswith("property_")}
    return passed["property_dibao"] == passed["property_marginal"]


@settings(max_examples=200, deadline=None)
@given(
    data=households(), who=st.integers(min_value=0), raise_by=st.integers(min_value=1, max_value=5_000_000)
)
def test_more_income_never_adds_a_more_favourable_category(
    data: dict[str, Any], who: int, raise_by: int
) -> None:
    """More income moves a household down the ladder 特困/低保 → 边缘 → 刚性支出 → nothing, never up.

    Only 低保边缘 (with 单人户低保) and 刚性支出困难 can newly appear: 边缘 as the step down from 低保, or,
    where the property is over the 低保 limits but within the marginal ones, as the step up from 监测
    alone (see test_categories.test_income_over_the_line_with_property_over_dibao_limits).
    """
    before = run(data)
    richer = copy.deepcopy(data)
    target = richer["members"][who % len(richer["members"])]
    target["annual_income"] = str(Decimal(target["annual_income"]) + Decimal(raise_by) / 100)

    after = run(richer)

    assert set(after.categories) - set(before.categories) <= {"marginal", "dibao_single", "rigid_expense"}
    if _limits_agree(before):
        best_before = _rank(before.primary_category)
        assert all(_rank(code) >= best_before for code in after.categories), (
            before.categories,
            after.categories,
        )
    assert after.per_capita_annual_income >= before.per_capita_annual_income


@settings(max_examples=200, deadline=None)
@given(data=households(), born=st.dates(date(2008, 6, 2), date(2025, 6, 1)))
def test_a_counted_member_without_income_or_assets_never_removes_dibao(
    data: dict[str, Any], born: date
) -> None:
    before = run(data)
    bigger = copy.deepcopy(data)
    bigger["members"].append(
        {
            "ref": "newborn",
            "relation": "child",
            "birth_date": born.isoformat(),
            "labor_capacity": "none",
            "annual_income": "0",
        }
    )

    after = run(bigger)

    assert after.members[-1].counted
    if "dibao" in before.categories:
        assert "dibao" in after.categories


def _comparable(evaluation: Evaluation) -> dict[str, Any]:
    result = evaluation.to_json()
    result["members"] = sorted(result["members"], key=lambda m: m["ref"])
    result["reasons"] = sorted(result["reasons"], key=lambda r: (r["rule"], r["detail"]))
    result["benefits"] = sorted(result["benefits"], key=lambda b: (b["category"], b["member"] or ""))
    return result


@settings(max_examples=200, deadline=None)
@given(data=households(), order=st.randoms(use_true_random=False))
def test_result_does_not_depend_on_member_order(data: dict[str, Any], order: Any) -> None:
    shuffled = copy.deepcopy(data)
    order.shuffle(shuffled["members"])

    assert _comparable(run(shuffled)) == _comparable(run(data))
