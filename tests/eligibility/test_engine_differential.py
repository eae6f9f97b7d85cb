"""The engine against its frozen former self (tests/eligibility/oracle_engine.py): on the benchmark's
generated households and on hypothesis households under varied parameter sets, every field of the
result agrees — categories, members, the exact per-capita figures, every reason's texts, the benefits —
and so does the §5 JSON, byte for byte.

The normal suite runs a few thousand generated snapshots; `ENGINE_DIFFERENTIAL_FULL=1` adds the marked
slow run over 100,000 (the benchmark's count).
"""

from __future__ import annotations

import json
import os
from dataclasses import astuple
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import HouseholdGenerator, org_tree, snapshot, villages
from eligibility.engine import evaluate, explain
from eligibility.parameters import PARAMETER_DEFAULTS, ParameterSet, default_parameter_set
from eligibility.snapshot import Snapshot, validate_snapshot

from . import oracle_engine
from .test_properties import households

SEED = 20260301


def _fields(evaluation: Any) -> dict[str, Any]:
    """Every field of an evaluation (the new one's or the oracle's), as plain comparable values."""
    return {
        "as_of": evaluation.as_of,
        "categories": evaluation.categories,
        "primary_category": evaluation.primary_category,
        # exact values and their representation: "1.50" and "1.5" are equal Decimals but not equal text
        "per_capita_monthly_income": str(evaluation.per_capita_monthly_income),
        "per_capita_annual_income": str(evaluation.per_capita_annual_income),
        "members": [astuple(m) for m in evaluation.members],
        "reasons": [astuple(r) for r in evaluation.reasons],
        "parameters": evaluation.parameters,
        "benefits": [(b.category, b.member, str(b.monthly_amount)) for b in evaluation.benefits],
    }


def _agree(facts: Snapshot, parameters: ParameterSet) -> None:
    expected = oracle_engine.evaluate(facts, parameters)
    decided = evaluate(facts, parameters)
    # decided before any text is written: compare the decisions first, then the (lazy) reasons
    assert _fields(decided) == _fields(expected)
    assert json.dumps(evaluate(facts, parameters).to_json(), ensure_ascii=False) == json.dumps(
        expected.to_json(), ensure_ascii=False
    )
    assert explain(facts, parameters) == decided.reasons


def _generated(count: int) -> list[Snapshot]:
    generator = HouseholdGenerator(SEED, villages(org_tree()))
    return [validate_snapshot(snapshot(spec)) for spec in generator.households(count)]


def test_generated_households_agree_with_the_frozen_engine():
    parameters = default_parameter_set()
    seen: set[str | None] = set()
    for facts in _generated(3000):
        _agree(facts, parameters)
        seen.add(evaluate(facts, parameters).primary_category)
    assert seen >= {"tekun", "dibao", "marginal", "rigid_expense", "monitoring", None}


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("ENGINE_DIFFERENTIAL_FULL"), reason="set ENGINE_DIFFERENTIAL_FULL=1")
def test_100000_generated_households_agree_with_the_frozen_engine():
    parameters = default_parameter_set()
    generator = HouseholdGenerator(SEED, villages(org_tree()))
    for spec in generator.households(100_000):
        _agree(validate_snapshot(snapshot(spec)), parameters)


def _money(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    scale = 10**places
    return st.integers(int(Decimal(low) * scale), int(Decimal(high) * scale)).map(
        lambda n: Decimal(n).scaleb(-places)
    )


@st.composite
def parameter_sets(draw: st.DrawFn) -> ParameterSet:
    """Defaults with the thresholds the engine reads moved about, odd decimals included."""
    values: dict[str, Decimal] = {d.code: d.value for d in PARAMETER_DEFAULTS}
    values |= {
        "dibao_standard_rural": draw(_money("300", "900", 3)),
        "dibao_standard_urban": draw(_money("300", "1200", 2)),
        "tekun_standard_multiplier": draw(_money("1", "2", 2)),
        "marginal_multiplier": draw(_money("1", "3", 1)),
        "monitoring_standard_annual": draw(_money("4000", "12000", 2)),
        "disposable_income_rural": draw(_money("10000", "30000", 0)),
        "disposable_income_urban": draw(_money("20000", "60000", 0)),
        "rigid_expense_ratio": draw(_money("0.5", "1.5", 2)),
        "financial_assets_months_dibao": Decimal(draw(st.integers(0, 36))),
        "financial_assets_months_marginal": Decimal(draw(st.integers(0, 48))),
        "vehicles_allowed_dibao": Decimal(draw(st.integers(0, 2))),
        "vehicles_allowed_marginal": Decimal(draw(st.integers(0, 2))),
        "vehicle_value_months": Decimal(draw(st.integers(0, 48))),
        "dwellings_allowed_dibao": Decimal(draw(st.integers(0, 3))),
        "dwellings_allowed_marginal": Decimal(draw(st.integers(0, 3))),
        "business_allowed_dibao": Decimal(draw(st.integers(0, 1))),
        "business_allowed_marginal": Decimal(draw(st.integers(0, 1))),
    }
    return ParameterSet.from_values(values, refs=["test:varied"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=households(), parameters=parameter_sets())
def test_hypothesis_households_agree_under_varied_parameters(data, parameters):
    _agree(validate_snapshot(data), parameters)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=households())
def test_hypothesis_households_agree_under_the_defaults(data):
    _agree(validate_snapshot(data), default_parameter_set())


def _money_text(value: Decimal) -> str | None:
    """The schema's money text for `value`, or None where it has more than 2 places or is negative."""
    if value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return str(value.quantize(Decimal("0.01")))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=households(), parameters=parameter_sets(), edge=st.data())
def test_households_on_every_threshold_agree(data, parameters, edge):
    """Figures set exactly on a line (per-capita income at each standard, assets at each limit, expenses at
    the ratio, a member's income at 特困's limit), where `<` and `≤` differ."""
    facts = validate_snapshot(data)
    counted = [m for m in facts.members if oracle_engine.membership_rule(m, facts.as_of)[0]]
    std = parameters.dibao_standard(facts.hukou_type)
    size = len(counted)
    total = sum((m.annual_income for m in counted), Decimal(0))
    others = total - counted[0].annual_income  # the applicant always counts, and comes first
    lines = {
        "dibao": std * 12 * size,
        "marginal": parameters.marginal_multiplier * std * 12 * size,
        "disposable": parameters.disposable_income(facts.hukou_type) * size,
        "monitoring": parameters.monitoring_standard_annual * size,
    }
    which = edge.draw(st.sampled_from(["income", "vehicle", "financial", "expenses", "tekun"]))
    if which == "income":
        income = _money_text(lines[edge.draw(st.sampled_from(sorted(lines)))] - others)
        if income is not None:
            data["members"][0]["annual_income"] = income
    elif which == "vehicle":
        value = _money_text(parameters.vehicle_value_months * std)
        data.setdefault("assets", {}).update(
            motor_vehicles=1, **({"motor_vehicle_value": value} if value else {})
        )
    elif which == "financial":
        months = edge.draw(
            st.sampled_from(
                [parameters.financial_assets_months_dibao, parameters.financial_assets_months_marginal]
            )
        )
        value = _money_text(months * std * size)
        if value is not None:
            data.setdefault("assets", {})["financial_assets"] = value
    elif which == "expenses":
        value = _money_text(total * parameters.rigid_expense_ratio)
        if value is not None:
            data["annual_rigid_expenses"] = {"medical": value}
    else:
        value = _money_text(12 * std)
        index = edge.draw(st.integers(0, len(data["members"]) - 1))
        if value is not None:
            data["members"][index]["annual_income"] = value
    _agree(validate_snapshot(data), parameters)
