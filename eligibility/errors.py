"""Eligibility's domain errors: each a DomainError with a machine-readable code and a Chinese message."""

from __future__ import annotations

from typing import Any

from daye_relief.errors import DomainError, InvalidTransition


class EvaluationRefused(DomainError):
    """Every reason a submitted snapshot cannot be evaluated, each with its JSON path.

    Answered (API, command) as `{"code", "message", "field": null, "errors": [{"path", "code",
    "message"}]}`: the list keeps DESIGN §5's "every error with its JSON path".
    """

    code = "snapshot_invalid"

    def __init__(self, problems: list[dict[str, str]]) -> None:
        self.problems = problems
        super().__init__(
            "提交的家庭数据有误，未作测算：" + "；".join(f"{p['path']} {p['message']}" for p in problems[:3])
        )

    @property
    def messages(self) -> list[str]:
        return [problem["message"] for problem in self.problems]

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": None, "errors": self.problems}


class ParametersMissing(DomainError, LookupError):
    """No parameter row in force for some code on the date asked: the bureau must enter one."""

    code = "no_parameters"


class ProposalAlreadyDecided(InvalidTransition):
    """A re-evaluation proposal someone has already decided."""

    code = "proposal_already_decided"


class RunNotRestartable(InvalidTransition):
    """A re-evaluation run that is done, or still has a live worker."""

    code = "run_not_restartable"
