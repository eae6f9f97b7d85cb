"""Snapshot dictionaries as a caller would send them, with short defaults (rural, evaluated 2025-06-01)."""

from __future__ import annotations

from typing import Any

from eligibility.engine import Evaluation, evaluate
from eligibility.parameters import ParameterSet, default_parameter_set
from eligibility.snapshot import validate_snapshot

AS_OF = "2025-06-01"


def member(
    ref: str = "a",
    relation: str = "applicant",
    *,
    born: str = "1980-01-01",
    income: str = "0",
    labor: str = "full",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "ref": ref,
        "relation": relation,
        "birth_date": born,
        "labor_capacity": labor,
        "annual_income": income,
        **extra,
    }


def household(*members: dict[str, Any], hukou: str = "rural", **extra: Any) -> dict[str, Any]:
    return {
        "schema": "household-snapshot/1",
        "as_of": AS_OF,
        "hukou_type": hukou,
        "members": list(members) or [member()],
        **extra,
    }


def run(data: dict[str, Any], parameters: ParameterSet | None = None) -> Evaluation:
    return evaluate(validate_snapshot(data), parameters or default_parameter_set())


def reason(evaluation: Evaluation, rule: str, ref: str | None = None) -> tuple[bool, str]:
    """The (passed, detail) of the one reason for `rule` (for member-level rules, the one naming `ref`)."""
    found = [
        (r.passed, r.detail)
        for r in evaluation.reasons
        if r.rule == rule and (ref is None or r.detail.startswith(f"成员 {ref}："))
    ]
    assert len(found) == 1, found
    return found[0]


def member_rules(evaluation: Evaluation) -> dict[str, tuple[bool, str]]:
    return {m.ref: (m.counted, m.rule) for m in evaluation.members}
