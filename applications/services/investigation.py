"""The joint investigation and the economic-status check, and a return for re-investigation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import scope_of
from accounts.glossary import Role
from accounts.models import User
from daye_relief.errors import InvalidInput
from eligibility.services import assessment_record
from workdays.selectors import workday_calendar

from .. import events
from ..glossary import LONG_TEXT, SHORT_TEXT, Method
from ..models import Application, Investigation
from ._core import INVESTIGATION_DAYS, check_lengths, lock_for, move


@transaction.atomic
def investigation_start(
    *,
    application: Application,
    team: Iterable[Any],
    check_requested_on: date,
    started_on: date,
    acting_user: User,
) -> Application:
    """启动调查: the joint team of two or more (social-affairs and agricultural office), the check request."""
    locked, from_stage = lock_for(application, "start_investigation")
    members = list(team)
    roles = {role for user in members for role, unit in scope_of(user).assignments if unit == locked.town_id}
    if len(members) < 2 or not {Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER} <= roles:
        raise InvalidInput(errors={"team": ["调查组至少2人，须包括本镇社会事务办和农办的工作人员。"]})
    investigation, _ = Investigation.objects.update_or_create(
        application=locked,
        defaults={"started_on": started_on, "check_requested_on": check_requested_on, "completed_on": None},
    )
    investigation.team.set(members)
    move(locked, "start_investigation")
    events.investigation_started(application=locked, actor=acting_user, from_stage=from_stage, team=members)
    return locked


@transaction.atomic
def investigation_record_check(
    *, application: Application, reference: str, result: str, result_on: date, acting_user: User
) -> Application:
    """登记家庭经济状况核对结果 (entered by hand or imported from the city platform's report)."""
    locked, from_stage = lock_for(application, "record_check")
    errors: dict[str, list[str]] = {}
    if not result.strip():
        errors["check_result"] = ["请填写核对结果。"]
    check_lengths(errors, check_result=(result, LONG_TEXT), check_reference=(reference, 64))
    if errors:
        raise InvalidInput(errors=errors)
    Investigation.objects.filter(application=locked).update(
        check_reference=reference.strip(), check_result=result.strip(), check_result_on=result_on
    )
    move(locked, "record_check")
    events.check_recorded(application=locked, actor=acting_user, from_stage=from_stage, result=result.strip())
    return locked


@transaction.atomic
def investigation_complete(
    *,
    application: Application,
    methods: Sequence[str],
    video_reason: str,
    findings: str,
    completed_on: date,
    acting_user: User,
) -> Application:
    """完成调查: the methods used and the findings; the engine then proposes categories from the verified
    household data, stored as an Assessment the review sees."""
    locked, from_stage = lock_for(application, "complete_investigation")
    investigation = locked.investigation
    errors: dict[str, list[str]] = {}
    if not methods or set(methods) - set(Method.values):
        errors.setdefault("methods", []).append("请选择调查方式。")
    if Method.VIDEO in methods and not video_reason.strip():
        errors.setdefault("video_reason", []).append("采用视频调查的，须写明特殊情况的原因。")
    if not findings.strip():
        errors.setdefault("findings", []).append("请填写调查结论。")
    if completed_on < investigation.started_on:
        errors.setdefault("completed_on", []).append("完成日期不能早于调查开始日期。")
    check_lengths(errors, findings=(findings, LONG_TEXT), video_reason=(video_reason, SHORT_TEXT))
    if errors:
        raise InvalidInput(errors=errors)
    investigation.methods = list(dict.fromkeys(methods))
    investigation.video_reason = video_reason.strip()
    investigation.findings = findings.strip()
    investigation.completed_on = completed_on
    investigation.save()
    # An adjustment whose every member has died or left has nobody to evaluate: its decision can only
    # cancel what the household held (自然消除).
    emptied = locked.is_adjustment and not locked.household.members.filter(is_active=True).exists()
    assessment = (
        None
        if emptied
        else assessment_record(household=locked.household, as_of=completed_on, acting_user=acting_user)
    )
    move(locked, "complete_investigation", assessment=assessment)
    events.investigation_completed(
        application=locked,
        actor=acting_user,
        from_stage=from_stage,
        findings=findings.strip(),
        methods=methods,
    )
    return locked


@transaction.atomic
def reinvestigation_return(*, application: Application, reason: str, acting_user: User) -> Application:
    """退回重新调查 (after an objection to the notice, or from the review): a new investigation, due 5
    working days after the return, and a new notice follow."""
    locked, from_stage = lock_for(application, "return_for_reinvestigation")
    if not reason.strip():
        raise InvalidInput(errors={"reason": ["请写明退回重新调查的原因。"]})
    Investigation.objects.filter(application=locked).update(completed_on=None)
    due = workday_calendar().add(timezone.localdate(), INVESTIGATION_DAYS)
    move(
        locked,
        "return_for_reinvestigation",
        notice_closed_on=None,
        review_due=None,
        review_due_provisional=False,
        investigation_due=due.date,
        investigation_due_provisional=due.provisional,
    )
    events.reinvestigation_returned(
        application=locked, actor=acting_user, from_stage=from_stage, reason=reason.strip(), due=due.date
    )
    return locked
