"""The engine against its golden answers (tests/eligibility/golden/cases.json): for each committed input —
the hand cases, a few hundred generated households under the defaults and under moved thresholds, and
figures set exactly on a line — the §5 JSON (categories, members, exact figures, every reason's texts,
benefits) is the reviewed one. After a policy change, regenerate with
`python -m tests.eligibility.golden --write` and review the diff (see tests/eligibility/golden/__init__.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from eligibility.engine import evaluate, explain
from eligibility.parameters import default_parameter_set
from eligibility.snapshot import validate_snapshot

from .golden import answer, inputs, load, parameter_set
from .test_properties import households

CASES = load()


def _lines(value: Any) -> list[str]:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).splitlines()


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_engine_gives_the_golden_answer(case: dict[str, Any]) -> None:
    # compared as lines of JSON, so a failure shows a readable diff of what changed
    assert _lines(answer(case)) == _lines(case["answer"])


def test_the_golden_inputs_are_the_generated_ones() -> None:
    """The committed inputs are what `inputs()` generates, so `--write` only ever changes answers."""
    assert [{k: case[k] for k in ("name", "snapshot", "parameters")} for case in CASES] == inputs()


def test_the_golden_cases_cover_every_category() -> None:
    seen = {case["answer"]["primary_category"] for case in CASES}
    assert seen >= {"tekun", "dibao", "marginal", "rigid_expense", "monitoring", None}
    assert len(CASES) >= 400


@pytest.mark.parametrize("case", CASES[:: len(CASES) // 50], ids=lambda case: case["name"])
def test_lazy_reasons_are_the_explained_ones(case: dict[str, Any]) -> None:
    facts = validate_snapshot(case["snapshot"])
    parameters = parameter_set(case["parameters"])
    assert explain(facts, parameters) == evaluate(facts, parameters).reasons


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=households())
def test_hypothesis_households_decide_as_they_explain(data):
    facts = validate_snapshot(data)
    parameters = default_parameter_set()
    decided = evaluate(facts, parameters)
    assert explain(facts, parameters) == decided.reasons
    assert json.dumps(decided.to_json(), ensure_ascii=False) == json.dumps(
        evaluate(facts, parameters).to_json(), ensure_ascii=False
    )
