"""The one small guard every state machine of the project uses: a table of moves, each with the statuses
it starts from and the status it leads to, and one refusal worded for the person.

Each app writes its own table in its `workflow.py` (pure: no ORM, no forms), e.g.

    FILING = StateMachine(
        noun="备案",
        labels=FilingStatus,
        moves={
            "acknowledge": Move("确认备案", from_={FilingStatus.SUBMITTED}, to=FilingStatus.ACKNOWLEDGED),
            ...
        },
    )

and its services call `FILING.guard("acknowledge", locked.status)` under the row lock. A page asks
`FILING.allows("acknowledge", status)` to decide whether to offer the button, so the page and the service
never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidTransition


@dataclass(frozen=True)
class Move:
    """One move: what the person does (Chinese, as a verb phrase), from which statuses, to which."""

    label: str
    from_: frozenset[str] = field(default_factory=frozenset)
    to: str | None = None  # None: the status does not change, or the service chooses it
    refused: str | None = None  # the refusal, when one sentence says it better than the machine's wording

    def __init__(
        self, label: str, *, from_: Iterable[str], to: str | None = None, refused: str | None = None
    ) -> None:
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "from_", frozenset(str(s) for s in from_))
        object.__setattr__(self, "to", None if to is None else str(to))
        object.__setattr__(self, "refused", refused)


class StateMachine:
    """A named table of moves over one status field."""

    REFUSAL = "该{noun}当前为“{status}”，不能{move}。可能已有其他人办理了这一步，请刷新页面查看最新状态。"

    def __init__(
        self, *, noun: str, labels: Any, moves: Mapping[str, Move], refusal: str | None = None
    ) -> None:
        # `labels` is the status choices class (a TextChoices): status -> its Chinese label. `refusal`
        # words every refusal of this machine that has no `Move.refused` of its own ({noun}, {status},
        # {move} filled in).
        self.noun = noun
        self._label: Callable[[str], str] = lambda status: str(dict(labels.choices).get(status, status))
        self.moves = dict(moves)
        self._refusal = refusal or self.REFUSAL

    def refusal(self, code: str, status: str) -> str | None:
        """Why `code` cannot be taken from `status`, in Chinese, or None when it can."""
        move = self.moves[code]
        if status in move.from_:
            return None
        if move.refused is not None:
            return move.refused
        return self._refusal.format(noun=self.noun, status=self._label(status), move=move.label)

    def target(self, code: str) -> str:
        """The status the move `code` leads to (a move whose service chooses it has none to give)."""
        to = self.moves[code].to
        if to is None:
            raise ValueError(f"the move {code!r} of the {self.noun} machine has no fixed target")
        return to

    def allows(self, code: str, status: str) -> bool:
        return self.refusal(code, status) is None

    def guard(self, code: str, status: str, *, error: type[InvalidTransition] = InvalidTransition) -> Move:
        """The move, or `error` (InvalidTransition or a subclass of it) with the refusal."""
        refusal = self.refusal(code, status)
        if refusal is not None:
            raise error(refusal)
        return self.moves[code]
