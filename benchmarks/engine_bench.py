"""The pure engine on generated snapshots: evaluations per second, no database."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from eligibility.engine import evaluate
from eligibility.parameters import default_parameter_set
from eligibility.snapshot import Snapshot, SnapshotInvalid, validate_snapshot

from .generate import HouseholdGenerator, org_tree, snapshot, villages
from .measure import Measurement, best_of, stderr


def per_capita_monthly_income(data: dict[str, Any]) -> Decimal:
    """The baseline: sum of the members' incomes ÷ member count ÷ 12, nothing else."""
    members = data["members"]
    total = sum((Decimal(member["annual_income"]) for member in members), Decimal(0))
    return total / len(members) / 12


def run(*, count: int, seed: int, repeat: int) -> list[Measurement]:
    started = time.perf_counter()
    generator = HouseholdGenerator(seed, villages(org_tree()))
    snapshots = [snapshot(spec) for spec in generator.households(count)]
    member_total = sum(len(data["members"]) for data in snapshots)
    stderr(
        f"engine: generated {count:,} snapshots ({member_total / count:.2f} members each) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    parameters = default_parameter_set()
    try:
        validated: list[Snapshot] = [validate_snapshot(data) for data in snapshots]
    except SnapshotInvalid as exc:  # a generator bug: the figures would mean nothing
        raise SystemExit(f"generated snapshot invalid: {exc}") from exc
    categories: dict[str | None, int] = {}
    for facts in validated:
        primary = evaluate(facts, parameters).primary_category
        categories[primary] = categories.get(primary, 0) + 1
    stderr(f"engine: primary categories {dict(sorted(categories.items(), key=lambda kv: -kv[1]))}")

    def baseline() -> None:
        for data in snapshots:
            per_capita_monthly_income(data)

    def full() -> None:
        for data in snapshots:
            evaluate(validate_snapshot(data), parameters)

    def shape_checked() -> None:
        for data in snapshots:
            evaluate(validate_snapshot(data, shape_checked=True), parameters)

    def evaluate_only() -> None:
        for facts in validated:
            evaluate(facts, parameters)

    def with_reasons() -> None:  # the reasons' texts are written when read: here, all of them, as JSON
        for facts in validated:
            evaluate(facts, parameters).to_json()

    rates: dict[str, float] = {}
    for name, body in (
        ("baseline", baseline),
        ("full", full),
        ("shape_checked", shape_checked),
        ("evaluate_only", evaluate_only),
        ("with_reasons", with_reasons),
    ):
        seconds = best_of(repeat, body)
        rates[name] = count / seconds
        stderr(f"engine: {name}: best of {repeat} {seconds:.3f}s = {rates[name]:,.0f}/s")

    base = rates["baseline"]

    def beside_baseline(name: str, value: float) -> Measurement:
        return Measurement(
            name,
            value,
            "evals/s",
            baseline=base,
            baseline_name="Python loop: Σ incomes ÷ members ÷ 12 (Decimal)",
            n=count,
        )

    return [
        beside_baseline("engine: validate (schema) + evaluate", rates["full"]),
        beside_baseline("engine: validate (shape_checked) + evaluate", rates["shape_checked"]),
        beside_baseline("engine: evaluate only", rates["evaluate_only"]),
        beside_baseline("engine: evaluate + reasons written (to_json)", rates["with_reasons"]),
        Measurement(
            "engine: baseline per-capita loop",
            base,
            "evals/s",
            n=count,
            note=f"best of {repeat} runs each; default_parameter_set(); seed {seed}",
        ),
    ]
