"""Withdrawing a case at the applicant's request and extending its deadline."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from daye_relief.errors import InvalidInput
from workdays.selectors import workday_calendar

from .. import events
from ..glossary import SHORT_TEXT, DeadlineFlag, Procedure
from ..models import Application
from ._core import MAX_WORKING_DAYS, OVERALL_DAYS, check_lengths, lock_for, move


@transaction.atomic
def application_withdraw(
    *, application: Application, requested_on: date, reason: str, acting_user: User
) -> Application:
    """撤回 at the applicant's written request, recorded with its date and reason; the town's alone, and
    never after the decision (the action table)."""
    locked, from_stage = lock_for(application, "withdraw")
    errors: dict[str, list[str]] = {}
    if len(reason.strip()) < 4:
        errors["reason"] = ["请写明申请人书面申请撤回的原因。"]
    check_lengths(errors, reason=(reason, SHORT_TEXT))
    if requested_on > timezone.localdate():
        errors["requested_on"] = ["书面申请日期不能晚于今天。"]
    elif locked.submitted_on and requested_on < locked.submitted_on:
        errors["requested_on"] = ["书面申请日期不能早于提出申请的日期。"]
    if errors:
        raise InvalidInput(errors=errors)
    move(
        locked,
        "withdraw",
        withdrawal_requested_on=requested_on,
        withdrawal_reason=reason.strip(),
        deadline_flag=DeadlineFlag.NONE,
    )
    events.withdrawn(
        application=locked,
        actor=acting_user,
        from_stage=from_stage,
        requested_on=requested_on,
        reason=reason.strip(),
    )
    return locked


@transaction.atomic
def application_extend(
    *, application: Application, total_working_days: int, reason: str, acting_user: User
) -> Application:
    """延长办理期限: with a reason, never past 45 working days after intake."""
    locked, from_stage = lock_for(application, "extend")
    base = OVERALL_DAYS[Procedure(locked.procedure)]
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors.setdefault("reason", []).append("请写明延期原因。")
    if not base < total_working_days <= MAX_WORKING_DAYS:
        errors.setdefault("total_working_days", []).append(
            f"延长后的办理时限应多于{base}个工作日、不超过{MAX_WORKING_DAYS}个工作日。"
        )
    check_lengths(errors, reason=(reason, SHORT_TEXT))
    if errors:
        raise InvalidInput(errors=errors)
    assert locked.accepted_on is not None  # the table extends accepted cases only
    extended = workday_calendar().add(locked.accepted_on, total_working_days)
    move(
        locked,
        "extend",
        extended_due=extended.date,
        extended_due_provisional=extended.provisional,
        extension_reason=reason.strip(),
    )
    events.extended(
        application=locked,
        actor=acting_user,
        from_stage=from_stage,
        total_working_days=total_working_days,
        until=extended.date,
        reason=reason.strip(),
    )
    return locked
