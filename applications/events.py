"""The case's events, one keyword-only constructor per kind: each keeps the event's facts as data (its
payload) and the sentence the timeline reads (glossary.event_sentence), so what the evaluation counts
and what the clerk reads come from one place. The services call these after the move they record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from .glossary import EventKind, event_sentence
from .models import Application, ApplicationEvent, CategoryDecision

# Apps above applications that act on a case's steps (online: a short message to the family) listen here,
# registered from their AppConfig.ready(); each is called in the step's transaction, after its event row.
_listeners: dict[str, Callable[[ApplicationEvent], None]] = {}


def listen(key: str, callback: Callable[[ApplicationEvent], None]) -> None:
    """Registers (or, on a second `ready()`, replaces) the listener `key`."""
    _listeners[key] = callback


def _record(
    application: Application, kind: EventKind, *, actor: Any, from_stage: str, payload: dict[str, Any]
) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        from_stage=from_stage,
        to_stage=application.stage,
        payload=payload,
        note=event_sentence(kind, payload),
    )
    for callback in _listeners.values():
        callback(event)
    return event


def submitted(*, application: Application, actor: Any, channel: str, proxy: str) -> ApplicationEvent:
    """The village committee (or the family online) handed the application in."""
    return _record(
        application,
        EventKind.SUBMIT,
        actor=actor,
        from_stage="",
        payload={"channel": channel, "proxy": proxy},
    )


def accepted(
    *, application: Application, actor: Any, from_stage: str, procedure: str, proxy: str = ""
) -> ApplicationEvent:
    """受理: the procedure chosen, and who applied when the town accepts at its own window."""
    payload = {"procedure": procedure, **({"proxy": proxy} if proxy else {})}
    return _record(application, EventKind.ACCEPT, actor=actor, from_stage=from_stage, payload=payload)


def adjustment_opened(
    *,
    application: Application,
    actor: Any,
    trigger: str,
    member_change: dict[str, Any] | None = None,
    source: str = "",
    source_label: str = "",
) -> ApplicationEvent:
    """动态调整立案: the trigger, the member change it concerns and where it came from (e.g. a warning)."""
    payload: dict[str, Any] = {"trigger": trigger}
    if member_change:
        payload["member_change"] = member_change
    if source:
        payload["source"], payload["source_label"] = source, source_label
    return _record(application, EventKind.OPEN_ADJUSTMENT, actor=actor, from_stage="", payload=payload)


def investigation_started(
    *, application: Application, actor: Any, from_stage: str, team: Iterable[Any]
) -> ApplicationEvent:
    members = [{"id": m.pk, "name": str(m)} for m in team]
    return _record(
        application,
        EventKind.START_INVESTIGATION,
        actor=actor,
        from_stage=from_stage,
        payload={"team": members},
    )


def check_recorded(*, application: Application, actor: Any, from_stage: str, result: str) -> ApplicationEvent:
    return _record(
        application, EventKind.RECORD_CHECK, actor=actor, from_stage=from_stage, payload={"result": result}
    )


def investigation_completed(
    *, application: Application, actor: Any, from_stage: str, findings: str, methods: Sequence[str]
) -> ApplicationEvent:
    payload = {"findings": findings, "methods": list(methods)}
    return _record(
        application, EventKind.COMPLETE_INVESTIGATION, actor=actor, from_stage=from_stage, payload=payload
    )


def reinvestigation_returned(
    *, application: Application, actor: Any, from_stage: str, reason: str, due: date
) -> ApplicationEvent:
    payload = {"reason": reason, "investigation_due": due.isoformat()}
    return _record(
        application, EventKind.RETURN_FOR_REINVESTIGATION, actor=actor, from_stage=from_stage, payload=payload
    )


def notice_sent(*, application: Application, actor: Any, from_stage: str) -> ApplicationEvent:
    return _record(application, EventKind.SEND_TO_NOTICE, actor=actor, from_stage=from_stage, payload={})


def review_sent(
    *, application: Application, actor: Any, from_stage: str, review_due: date
) -> ApplicationEvent:
    """转集体研判 without a notice: the adjustment added no category."""
    payload = {"because": "no_new_category", "review_due": review_due.isoformat()}
    return _record(application, EventKind.SEND_TO_REVIEW, actor=actor, from_stage=from_stage, payload=payload)


def notice_closed(
    *, application: Application, actor: Any, from_stage: str, closed_on: date, note: str = ""
) -> ApplicationEvent:
    payload = {"closed_on": closed_on.isoformat(), **({"note": note} if note else {})}
    return _record(application, EventKind.CLOSE_NOTICE, actor=actor, from_stage=from_stage, payload=payload)


def decided(
    *,
    application: Application,
    actor: Any,
    from_stage: str,
    approved: bool,
    reason: str,
    decisions: Iterable[CategoryDecision],
) -> ApplicationEvent:
    """集体研判: the categories decided (each with its member and verdict) and the reason."""
    categories = [{"category": d.category, "member": d.member_id, "approved": d.approved} for d in decisions]
    return _record(
        application,
        EventKind.APPROVE if approved else EventKind.REJECT,
        actor=actor,
        from_stage=from_stage,
        payload={"reason": reason, "categories": categories},
    )


def filed(
    *, application: Application, actor: Any, from_stage: str, bureaus: Sequence[str], monitoring_mark: bool
) -> ApplicationEvent:
    payload = {"bureaus": list(bureaus), "monitoring_mark": monitoring_mark}
    return _record(application, EventKind.FILE, actor=actor, from_stage=from_stage, payload=payload)


def filing_acknowledged(*, application: Application, actor: Any, bureau: str) -> ApplicationEvent:
    return _record(
        application,
        EventKind.FILING_ACKNOWLEDGED,
        actor=actor,
        from_stage=application.stage,
        payload={"bureau": bureau},
    )


def filing_returned(*, application: Application, actor: Any, bureau: str, note: str) -> ApplicationEvent:
    return _record(
        application,
        EventKind.FILING_RETURNED,
        actor=actor,
        from_stage=application.stage,
        payload={"bureau": bureau, "note": note},
    )


def filing_resubmitted(*, application: Application, actor: Any, bureau: str, note: str) -> ApplicationEvent:
    return _record(
        application,
        EventKind.FILING_RESUBMITTED,
        actor=actor,
        from_stage=application.stage,
        payload={"bureau": bureau, "note": note},
    )


def extended(
    *,
    application: Application,
    actor: Any,
    from_stage: str,
    total_working_days: int,
    until: date,
    reason: str,
) -> ApplicationEvent:
    """延长办理期限: to how many working days after acceptance, the new date and why."""
    payload = {"total_working_days": total_working_days, "until": until.isoformat(), "reason": reason}
    return _record(application, EventKind.EXTEND, actor=actor, from_stage=from_stage, payload=payload)


def withdrawn(
    *, application: Application, actor: Any, from_stage: str, requested_on: date, reason: str
) -> ApplicationEvent:
    payload = {"requested_on": requested_on.isoformat(), "reason": reason}
    return _record(application, EventKind.WITHDRAW, actor=actor, from_stage=from_stage, payload=payload)
