"""Golden answers of the eligibility engine: committed inputs (snapshots and parameter values) and what
the engine answered for each (the §5 JSON: categories, members, figures, every reason's texts, benefits).

`cases.json` is the reviewed record of the policy as the engine applies it. A policy change is one edit
of the engine and one reviewed diff of this file; regenerate it with

    DJANGO_SETTINGS_MODULE=daye_relief.settings.test python -m tests.eligibility.golden --write

and read `git diff tests/eligibility/golden/cases.json` before committing. Without `--write` the command
only reports which cases differ.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.generate import HouseholdGenerator, org_tree, snapshot, villages
from eligibility.engine import evaluate, membership_rule
from eligibility.parameters import PARAMETER_DEFAULTS, ParameterSet, default_parameter_set
from eligibility.snapshot import validate_snapshot

from .hand_cases import HAND_CASES

GOLDEN_FILE = Path(__file__).with_name("cases.json")
SEED = 20260301
GENERATED = 200  # under the shipped defaults
VARIED = 100  # of those households again, under moved thresholds
EDGES = 100  # figures set exactly on a line, where `<` and `≤` differ


def _money(rng: random.Random, low: str, high: str, places: int = 2) -> Decimal:
    scale = 10**places
    return Decimal(rng.randint(int(Decimal(low) * scale), int(Decimal(high) * scale))).scaleb(-places)


def _varied_values(rng: random.Random) -> dict[str, str]:
    """Parameter values (as text) with the thresholds the engine reads moved about, odd decimals included."""
    values = {
        "dibao_standard_rural": _money(rng, "300", "900", 3),
        "dibao_standard_urban": _money(rng, "300", "1200", 2),
        "tekun_standard_multiplier": _money(rng, "1", "2", 2),
        "marginal_multiplier": _money(rng, "1", "3", 1),
        "monitoring_standard_annual": _money(rng, "4000", "12000", 2),
        "disposable_income_rural": _money(rng, "10000", "30000", 0),
        "disposable_income_urban": _money(rng, "20000", "60000", 0),
        "rigid_expense_ratio": _money(rng, "0.5", "1.5", 2),
        "financial_assets_months_dibao": Decimal(rng.randint(0, 36)),
        "financial_assets_months_marginal": Decimal(rng.randint(0, 48)),
        "vehicles_allowed_dibao": Decimal(rng.randint(0, 2)),
        "vehicles_allowed_marginal": Decimal(rng.randint(0, 2)),
        "vehicle_value_months": Decimal(rng.randint(0, 48)),
        "dwellings_allowed_dibao": Decimal(rng.randint(0, 3)),
        "dwellings_allowed_marginal": Decimal(rng.randint(0, 3)),
        "business_allowed_dibao": Decimal(rng.randint(0, 1)),
        "business_allowed_marginal": Decimal(rng.randint(0, 1)),
    }
    return {code: str(value) for code, value in values.items()}


def parameter_set(values: dict[str, str] | None) -> ParameterSet:
    """The defaults, or the defaults with `values` (code → decimal text) in their place."""
    if not values:
        return default_parameter_set()
    merged = {d.code: d.value for d in PARAMETER_DEFAULTS} | {k: Decimal(v) for k, v in values.items()}
    return ParameterSet.from_values(merged, refs=["test:varied"])


def _money_text(value: Decimal) -> str | None:
    """The schema's money text for `value`, or None where it has more than 2 places or is negative."""
    if value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return str(value.quantize(Decimal("0.01")))


def _on_a_line(data: dict[str, Any], parameters: ParameterSet, rng: random.Random) -> dict[str, Any]:
    """`data` with one figure set exactly on a line: per-capita income at a standard, assets at a limit,
    expenses at the ratio, or a member's income at 特困's limit."""
    data = json.loads(json.dumps(data))
    facts = validate_snapshot(data)
    counted = [m for m in facts.members if membership_rule(m, facts.as_of)[0]]
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
    which = rng.choice(["income", "vehicle", "financial", "expenses", "tekun"])
    if which == "income":
        income = _money_text(lines[rng.choice(sorted(lines))] - others)
        if income is not None:
            data["members"][0]["annual_income"] = income
    elif which == "vehicle":
        value = _money_text(parameters.vehicle_value_months * std)
        data.setdefault("assets", {}).update(
            motor_vehicles=1, **({"motor_vehicle_value": value} if value else {})
        )
    elif which == "financial":
        months = rng.choice(
            [parameters.financial_assets_months_dibao, parameters.financial_assets_months_marginal]
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
        if value is not None:
            data["members"][rng.randrange(len(data["members"]))]["annual_income"] = value
    return data


def inputs() -> list[dict[str, Any]]:
    """Every golden input: {"name", "snapshot", "parameters" (None for the defaults, else code → text)}."""
    rng = random.Random(SEED)
    generator = HouseholdGenerator(SEED, villages(org_tree()))
    generated = [json.loads(json.dumps(snapshot(spec))) for spec in generator.households(GENERATED)]
    cases: list[dict[str, Any]] = [
        {"name": f"hand:{name}", "snapshot": data, "parameters": None} for name, data in HAND_CASES
    ]
    cases += [
        {"name": f"generated:{i}", "snapshot": data, "parameters": None} for i, data in enumerate(generated)
    ]
    for i in range(VARIED):
        cases.append({"name": f"varied:{i}", "snapshot": generated[i], "parameters": _varied_values(rng)})
    for i in range(EDGES):
        values = _varied_values(rng) if i % 2 else None
        data = _on_a_line(generated[(i * 7) % GENERATED], parameter_set(values), rng)
        cases.append({"name": f"on-a-line:{i}", "snapshot": data, "parameters": values})
    return cases


def answer(case: dict[str, Any]) -> dict[str, Any]:
    """What the engine answers for one golden input (the §5 JSON)."""
    return evaluate(validate_snapshot(case["snapshot"]), parameter_set(case["parameters"])).to_json()


def load() -> list[dict[str, Any]]:
    """The committed cases: each input with its golden "answer"."""
    cases: list[dict[str, Any]] = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    return cases


def write() -> int:
    cases = [case | {"answer": answer(case)} for case in inputs()]
    GOLDEN_FILE.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(cases)
