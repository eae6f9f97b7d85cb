"""Writes on warnings (DESIGN §3.6): acknowledge (open → in_progress), feedback with an action
(→ handled), close by the town (handled → closed); the daily job that escalates overdue warnings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from accounts.access import can_close_warning, can_handle_warning
from daye_relief.errors import DomainError, InvalidInput, InvalidTransition
from eligibility.selectors import ParameterTable
from households.models import Enrollment
from households.selectors import enrolled_on
from workdays.selectors import deadline_after, workday_calendar

from ..glossary import BUREAU_OF_CATEGORY, Severity, WarningAction, WarningStatus, WarningType
from ..models import Warning, WarningEvent

OPEN_STATES = (WarningStatus.OPEN, WarningStatus.IN_PROGRESS)


class WarningForbidden(DomainError):
    code = "forbidden"
    http_status = 403


def _locked(warning_id: int) -> Warning:
    return Warning.objects.select_for_update().select_related("household__village").get(pk=warning_id)


def _move(warning: Warning, *, to: str, actor: Any, kind: str, note: str = "") -> None:
    person = actor if getattr(actor, "pk", None) else None  # a department's API token is no person
    warning._history_user = person  # type: ignore[attr-defined]  # simple-history's "who changed it"
    WarningEvent.objects.create(
        warning=warning, kind=kind, actor=person, from_status=warning.status, to_status=to, note=note
    )
    warning.status = to


@transaction.atomic
def warning_acknowledge(*, warning_id: int, acting_user: Any) -> Warning:
    warning = _locked(warning_id)
    if not can_handle_warning(acting_user, warning):
        raise WarningForbidden("您不能处理这条预警。")
    if warning.status != WarningStatus.OPEN:
        raise InvalidTransition("这条预警已经签收。")
    _move(warning, to=WarningStatus.IN_PROGRESS, actor=acting_user, kind="acknowledge")
    warning.save(update_fields=["status"])
    return warning


@transaction.atomic
def warning_feedback(*, warning_id: int, action: str, feedback: str, acting_user: Any) -> Warning:
    """Records what was done; an open warning is acknowledged on the way."""
    warning = _locked(warning_id)
    if not can_handle_warning(acting_user, warning):
        raise WarningForbidden("您不能处理这条预警。")
    if warning.status not in OPEN_STATES:
        raise InvalidTransition("这条预警已经反馈过。")
    if action not in WarningAction.values:
        raise InvalidInput("请选择处理方式。", field="action")
    feedback = (feedback or "").strip()
    if not feedback:
        message = "请填写无需处理的理由。" if action == WarningAction.NO_ACTION else "请填写处理情况。"
        raise InvalidInput(message, field="feedback")
    if warning.status == WarningStatus.OPEN:
        _move(warning, to=WarningStatus.IN_PROGRESS, actor=acting_user, kind="acknowledge")
    _move(warning, to=WarningStatus.HANDLED, actor=acting_user, kind="feedback", note=feedback)
    warning.action, warning.feedback = action, feedback
    warning.save(update_fields=["status", "action", "feedback"])
    return warning


@transaction.atomic
def warning_close(*, warning_id: int, acting_user: Any, note: str = "") -> Warning:
    warning = _locked(warning_id)
    if not can_close_warning(acting_user, warning):
        raise WarningForbidden("只有家庭所在镇可以办结预警。")
    if warning.status != WarningStatus.HANDLED:
        raise InvalidTransition("预警须先反馈处理情况，才能办结。")
    _move(warning, to=WarningStatus.CLOSED, actor=acting_user, kind="close", note=note)
    warning.save(update_fields=["status"])
    return warning


def warnings_escalate(*, today: date) -> int:
    """Daily: a warning still open or in progress more than `warning_escalation_days` working days after
    its due date reaches the desk of the bureau owning the household's categories. Keyed by date and
    idempotent: a second run on the same day changes nothing. Returns how many were escalated now."""
    calendar = workday_calendar()
    table = ParameterTable.load()
    escalated = 0
    candidates = (
        Warning.objects.filter(status__in=OPEN_STATES, due_on__lt=today, escalated_on__isnull=True)
        .select_related("household__village")
        .order_by("pk")
    )
    for warning in candidates.iterator(chunk_size=500):
        limit = table.in_force(warning.household.village.code, today).warning_escalation_days
        overdue, _provisional = calendar.working_days_between(warning.due_on, today)
        if overdue <= limit:
            continue
        bureaus = {
            BUREAU_OF_CATEGORY.get(category)
            for category in Enrollment.objects.filter(
                enrolled_on(today), household_id=warning.household_id
            ).values_list("category", flat=True)
        }
        if not bureaus - {None}:
            bureaus = {"MZJ"}  # a pool household with no enrollment now (rejected, or exited): 民政局
        updated = Warning.objects.filter(pk=warning.pk, escalated_on__isnull=True).update(
            escalated_on=today, to_civil_affairs="MZJ" in bureaus, to_agriculture="NYNCJ" in bureaus
        )
        escalated += updated
    return escalated


VISIT_CONCERN_DUE_DAYS = 5  # DESIGN §3.6: visit_concern, high, to the town, due 5 working days


def warning_raise_for_visit(*, visit: Any, today: date) -> Warning | None:
    """A visit that found an item not secure raises `visit_concern` for the household's town, due 5
    working days later. One warning per visit (a unique constraint): a second call returns the first."""
    concerns = visit.concerns
    if not concerns:
        return None
    town_id = visit.household.village.parent_id
    due = deadline_after(start=today, working_days=VISIT_CONCERN_DUE_DAYS)
    Warning.objects.bulk_create(
        [
            Warning(
                type=WarningType.VISIT_CONCERN,
                severity=Severity.HIGH,
                household_id=visit.household_id,
                visit=visit,
                assignee_id=town_id,
                raised_on=today,
                due_on=due.date,
                due_provisional=due.provisional,
                detail=f"{visit.visited_on.isoformat()} 巡访：{'、'.join(concerns)}无保障"[:300],
            )
        ],
        ignore_conflicts=True,
    )
    return Warning.objects.filter(visit=visit).first()
