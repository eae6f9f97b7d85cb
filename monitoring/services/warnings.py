"""Writes on warnings (DESIGN §3.6): acknowledge (open → in_progress), feedback with an action
(→ handled), close by the town (handled → closed); the daily job that escalates overdue warnings.

The action `reinvestigation` opens an adjustment case (§3.7) when the person giving it may open one (the
household's town clerk): in the same transaction, so a refusal of the case side (`not_enrolled`,
`open_case`, a bad member change) leaves the warning as it was. Anyone else (a department, the town's
agricultural office) asks for it: the warning is handled, and the clerk opens the case from it
(`warning_open_adjustment`) or closes it saying why not. A `death` warning opens the member change
"death" of its member, dated from the shared row, unless that member has already left the household."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import can_close_warning, can_handle_warning
from accounts.actors import Actor
from accounts.models import User
from applications.glossary import ChangeKind, Trigger
from applications.models import Application
from applications.services import MemberChange, adjustment_open
from applications.workflow import may_open_adjustment_for
from daye_relief.errors import Forbidden, InvalidInput, InvalidTransition
from eligibility.selectors import ParameterTable
from households.models import Enrollment
from households.selectors.households import enrolled_on
from workdays.selectors import deadline_after, workday_calendar

from .. import events
from ..glossary import BUREAU_OF_CATEGORY, Severity, WarningAction, WarningStatus, WarningType
from ..models import Warning
from ..workflow import REINVESTIGATION_ONLY, WARNING
from .raising import warnings_raise

OPEN_STATES = (WarningStatus.OPEN, WarningStatus.IN_PROGRESS)


def _locked(warning_id: int) -> Warning:
    return (
        Warning.objects.select_for_update(of=("self",))
        .select_related("household__village", "member", "source_row")
        .get(pk=warning_id)
    )


def death_change_default(warning: Warning) -> tuple[date | None, str]:
    """The date and evidence a death warning proposes for the member change: the shared row's 死亡日期 and
    the certificate the health commission shared."""
    row = warning.source_row
    if row is None:
        return None, ""
    return row.row_date, f"死亡医学证明（市卫健局共享数据 {row.period} 第{row.row_number}行）"


def opens_member_change(warning: Warning) -> bool:
    """Does reinvestigating this warning record its member's death (the member still in the household)?"""
    member = warning.member
    return warning.type == WarningType.DEATH and member is not None and member.is_active


def _open_case(
    warning: Warning, *, note: str, acting_user: User, happened_on: date | None, evidence: str
) -> Application:
    change = None
    if opens_member_change(warning):
        assert warning.member is not None
        default_on, default_evidence = death_change_default(warning)
        happened_on = happened_on or default_on
        if happened_on is None:
            raise InvalidInput("请填写死亡日期。", field="happened_on")
        change = MemberChange(
            kind=ChangeKind.DEATH,
            member=warning.member,
            happened_on=happened_on,
            evidence=(evidence or "").strip() or default_evidence,
        )
    case = adjustment_open(
        household=warning.household,
        trigger=Trigger.MEMBER_CHANGE if change is not None else Trigger.WARNING,
        note=f"{warning.get_type_display()}预警：{note}",
        opened_on=timezone.localdate(),
        acting_user=acting_user,
        member_change=change,
        source=f"warning:{warning.pk}",
    )
    warning.adjustment = case
    return case


def _moved(warning: Warning, to: str, actor: Any) -> None:
    """After its event is recorded: the warning's new status, and who changed it for simple-history."""
    person = actor if getattr(actor, "pk", None) else None  # a department's API token is no person
    warning._history_user = person  # type: ignore[attr-defined]  # simple-history's "who changed it"
    warning.status = to


def _acknowledge(warning: Warning, actor: Any) -> None:
    to = WARNING.target("acknowledge")
    events.acknowledged(warning=warning, actor=actor, to_status=to)
    _moved(warning, to, actor)


@transaction.atomic
def warning_acknowledge(*, warning_id: int, acting_user: Actor) -> Warning:
    warning = _locked(warning_id)
    if not can_handle_warning(acting_user, warning):
        raise Forbidden("您不能处理这条预警。")
    WARNING.guard("acknowledge", warning.status)
    _acknowledge(warning, acting_user)
    warning.save(update_fields=["status"])
    return warning


@transaction.atomic
def warning_feedback(
    *,
    warning_id: int,
    action: str,
    feedback: str,
    acting_user: Actor,
    happened_on: date | None = None,
    evidence: str = "",
) -> Warning:
    """Records what was done; an open warning is acknowledged on the way. `reinvestigation` by the town
    clerk opens the adjustment case (`warning.adjustment`); `happened_on` and `evidence` correct the
    death's date and evidence the warning proposes."""
    warning = _locked(warning_id)
    if not can_handle_warning(acting_user, warning):
        raise Forbidden("您不能处理这条预警。")
    WARNING.guard("feedback", warning.status)
    if action not in WarningAction.values:
        raise InvalidInput("请选择处理方式。", field="action")
    feedback = (feedback or "").strip()
    if not feedback:
        message = "请填写无需处理的理由。" if action == WarningAction.NO_ACTION else "请填写处理情况。"
        raise InvalidInput(message, field="feedback")
    if WARNING.allows("acknowledge", warning.status):
        _acknowledge(warning, acting_user)
    case_number = ""
    # Only a town's clerk opens the case at once (a department's token never may: it asks for it).
    if (
        action == WarningAction.REINVESTIGATION
        and isinstance(acting_user, User)
        and may_open_adjustment_for(acting_user, warning.household)
    ):
        case = _open_case(
            warning, note=feedback, acting_user=acting_user, happened_on=happened_on, evidence=evidence
        )
        case_number = case.case_number
    to = WARNING.target("feedback")
    events.feedback_recorded(
        warning=warning,
        actor=acting_user,
        to_status=to,
        action=action,
        feedback=feedback,
        case_number=case_number,
    )
    _moved(warning, to, acting_user)
    warning.action, warning.feedback = action, feedback
    warning.save(update_fields=["status", "action", "feedback", "adjustment"])
    return warning


def _record_case(warning: Warning, case: Application, acting_user: User) -> None:
    events.adjustment_opened(warning=warning, actor=acting_user, case_number=case.case_number)


@transaction.atomic
def warning_open_adjustment(
    *, warning_id: int, note: str, acting_user: User, happened_on: date | None = None, evidence: str = ""
) -> Warning:
    """The clerk opens the adjustment case a department (or the town's agricultural office) asked for
    with the feedback `reinvestigation`."""
    warning = _locked(warning_id)
    if not may_open_adjustment_for(acting_user, warning.household):
        raise Forbidden("只有家庭所在镇的社会事务办可以启动动态调整。")
    WARNING.guard("open_adjustment", warning.status)
    if warning.action != WarningAction.REINVESTIGATION:
        raise InvalidTransition(REINVESTIGATION_ONLY)
    if warning.adjustment_id is not None:
        raise InvalidTransition("这条预警已经启动了动态调整案件。")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请写明调整事由。", field="note")
    case = _open_case(warning, note=note, acting_user=acting_user, happened_on=happened_on, evidence=evidence)
    _record_case(warning, case, acting_user)
    warning._history_user = acting_user  # type: ignore[attr-defined]
    warning.save(update_fields=["adjustment"])
    return warning


@transaction.atomic
def warning_close(*, warning_id: int, acting_user: User, note: str = "") -> Warning:
    warning = _locked(warning_id)
    if not can_close_warning(acting_user, warning):
        raise Forbidden("只有家庭所在镇可以办结预警。")
    WARNING.guard("close", warning.status)
    note = (note or "").strip()
    if warning.action == WarningAction.REINVESTIGATION and warning.adjustment_id is None and not note:
        raise InvalidInput(
            "该预警反馈为重新调查，尚未启动动态调整案件：请先启动动态调整，或在办结说明中写明不启动的理由。",
            field="note",
        )
    to = WARNING.target("close")
    events.closed(warning=warning, actor=acting_user, to_status=to, note=note)
    _moved(warning, to, acting_user)
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
    warnings_raise(
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
        ]
    )
    return Warning.objects.filter(visit=visit).first()
