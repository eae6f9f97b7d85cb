"""Evaluating a submitted snapshot with the parameters in force: shared by the API, the command and the
self-check page, so that all three answer alike."""

from __future__ import annotations

from typing import Any

from .engine import Evaluation, evaluate
from .selectors import ParametersMissing, ParameterTable
from .snapshot import SnapshotInvalid, validate_snapshot


class EvaluationRefused(ValueError):
    """Every reason a snapshot cannot be evaluated, each with its JSON path."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['path']}: {e['message']}" for e in errors))


def evaluate_submitted(data: Any, *, table: ParameterTable | None = None) -> Evaluation:
    try:
        snapshot = validate_snapshot(data)
    except SnapshotInvalid as exc:
        raise EvaluationRefused(exc.to_json()) from None
    try:
        parameters = (table or ParameterTable.load()).in_force(snapshot.region_code, snapshot.as_of)
    except ParametersMissing as exc:
        raise EvaluationRefused([{"path": "$.as_of", "code": "no_parameters", "message": str(exc)}]) from None
    return evaluate(snapshot, parameters)
