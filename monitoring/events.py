"""A warning's events, one keyword-only constructor per kind: the facts as data (payload) and the sentence
the warning's timeline reads (glossary.warning_event_sentence). The warning services call these; the
warning's own status is saved by its service."""

from __future__ import annotations

from typing import Any

from .glossary import WarningEventKind, warning_event_sentence
from .models import Warning, WarningEvent


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None  # a department's API token is no person


def _record(
    warning: Warning, kind: WarningEventKind, *, actor: Any, to_status: str, payload: dict[str, Any]
) -> WarningEvent:
    return WarningEvent.objects.create(
        warning=warning,
        kind=kind,
        actor=_person(actor),
        from_status=warning.status,
        to_status=to_status,
        payload=payload,
        note=warning_event_sentence(kind, payload),
    )


def acknowledged(*, warning: Warning, actor: Any, to_status: str) -> WarningEvent:
    return _record(warning, WarningEventKind.ACKNOWLEDGE, actor=actor, to_status=to_status, payload={})


def feedback_recorded(
    *, warning: Warning, actor: Any, to_status: str, action: str, feedback: str, case_number: str = ""
) -> WarningEvent:
    """What was done (the action code and the words), and the adjustment case it opened, if any."""
    payload = {
        "action": action,
        "feedback": feedback,
        **({"case_number": case_number} if case_number else {}),
    }
    return _record(warning, WarningEventKind.FEEDBACK, actor=actor, to_status=to_status, payload=payload)


def adjustment_opened(*, warning: Warning, actor: Any, case_number: str) -> WarningEvent:
    return _record(
        warning,
        WarningEventKind.ADJUSTMENT,
        actor=actor,
        to_status=warning.status,
        payload={"case_number": case_number},
    )


def closed(*, warning: Warning, actor: Any, to_status: str, note: str) -> WarningEvent:
    return _record(warning, WarningEventKind.CLOSE, actor=actor, to_status=to_status, payload={"note": note})
