"""Writes of the public notice: compose, post, record and answer objections, close. A closed notice is
never edited again. Cases move through applications.services, never directly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import OrgUnit
from applications import services as case_services
from applications.glossary import Stage
from applications.models import Application
from daye_relief.errors import InvalidTransition
from eligibility.selectors import ParameterTable
from workdays.selectors import workday_calendar

from .glossary import ItemOutcome, NoticeStatus
from .models import Notice, NoticeItem, Objection


class NoticeLocked(InvalidTransition):
    """The notice is past the state that allows this (a closed notice is never edited)."""


def _locked(notice: Notice, *allowed: str) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.status not in allowed:
        raise NoticeLocked(
            f"该公示当前为“{NoticeStatus(locked.status).label}”，不能进行此操作。请刷新页面查看最新状态。"
        )
    return locked


def _check_cases(
    village: OrgUnit, applications: Sequence[Application], notice: Notice | None = None
) -> list[Application]:
    """The cases re-read under a lock, or every reason they cannot be in this notice."""
    ids = [application.pk for application in applications]
    current = {
        a.pk: a
        for a in Application.objects.select_for_update().select_related("household").filter(pk__in=ids)
    }
    applications = [current[pk] for pk in ids]
    errors = []
    for application in applications:
        if application.household.village_id != village.pk:
            errors.append(f"{application.case_number} 不属于{village.name}。")
        elif application.stage != Stage.PUBLICIZING:
            errors.append(
                f"{application.case_number} 当前为“{Stage(application.stage).label}”，不在待公示状态。"
            )
        elif (
            NoticeItem.objects.filter(
                application=application,
                outcome=ItemOutcome.PENDING,
                notice__status__in=[NoticeStatus.DRAFT, NoticeStatus.POSTED],
            )
            .exclude(notice=notice)
            .exists()
        ):
            errors.append(f"{application.case_number} 已在另一份公示中。")
    if not applications:
        errors.append("请至少选择一个待公示的案件。")
    if errors:
        raise ValidationError({"applications": errors})
    return applications


@transaction.atomic
def notice_create(
    *, village: OrgUnit, applications: Sequence[Application], acting_user: Any, title: str = ""
) -> Notice:
    """A draft notice of the village with the chosen cases (the town has sent them for the notice)."""
    applications = _check_cases(village, applications)
    notice = Notice.objects.create(
        village=village,
        title=title.strip() or f"{village.name}困难群众救助帮扶对象公示",
        created_by=acting_user,
    )
    NoticeItem.objects.bulk_create(NoticeItem(notice=notice, application=a) for a in applications)
    return notice


def notice_window(*, village: OrgUnit, posted_on: date) -> tuple[int, bool, date, bool]:
    """(days, in working days?, the day the window has run in full, provisional?) from the parameters in
    force on the posting day. The posting day itself does not count, as for every deadline."""
    parameters = ParameterTable.load().in_force(village.code, posted_on)
    days, working = parameters.notice_days, parameters.notice_working_days
    if working:
        deadline = workday_calendar().add(posted_on, days)
        return days, True, deadline.date, deadline.provisional
    return days, False, posted_on + timedelta(days=days), False


@transaction.atomic
def notice_post(*, notice: Notice, posted_on: date, acting_user: Any) -> Notice:
    """张贴: the posting day starts the window."""
    locked = _locked(notice, NoticeStatus.DRAFT)
    items = list(locked.items.select_related("application__household"))
    _check_cases(locked.village, [item.application for item in items], notice=locked)
    days, working, closes_on, provisional = notice_window(village=locked.village, posted_on=posted_on)
    town = locked.village.parent
    locked.status = NoticeStatus.POSTED
    locked.posted_on, locked.closes_on, locked.closes_on_provisional = posted_on, closes_on, provisional
    locked.window_days, locked.window_working_days = days, working
    locked.contact = town.contact_phone if town else ""
    locked.save()
    return locked


@transaction.atomic
def objection_record(
    *, item: NoticeItem, received_on: date, objector: str, channel: str, content: str, acting_user: Any
) -> Objection:
    """An objection during the window: the case goes back to investigation, and needs a new notice."""
    notice = _locked(item.notice, NoticeStatus.POSTED)
    errors: dict[str, list[str]] = {}
    if not content.strip():
        errors.setdefault("content", []).append("请记录反映的具体内容。")
    assert notice.posted_on is not None
    if received_on < notice.posted_on:
        errors.setdefault("received_on", []).append("异议日期不能早于公示张贴日期。")
    if errors:
        raise ValidationError(errors)
    locked_item = NoticeItem.objects.select_for_update().get(pk=item.pk)
    objection = Objection.objects.create(
        item=locked_item,
        received_on=received_on,
        objector=objector.strip(),
        channel=channel,
        content=content.strip(),
        recorded_by=acting_user,
    )
    if locked_item.outcome == ItemOutcome.PENDING:
        locked_item.outcome = ItemOutcome.OBJECTED
        locked_item.save(update_fields=["outcome"])
        case_services.reinvestigation_return(
            application=locked_item.application,
            reason=f"公示期间有异议：{content.strip()}",
            acting_user=acting_user,
        )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, answer: str, answered_on: date, acting_user: Any) -> Objection:
    if not answer.strip():
        raise ValidationError({"answer": ["请填写答复内容。"]})
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.answered_on is not None:
        raise NoticeLocked("该异议已答复。")
    locked.answer, locked.answered_on, locked.answered_by = answer.strip(), answered_on, acting_user
    locked.save(update_fields=["answer", "answered_on", "answered_by"])
    return locked


@transaction.atomic
def notice_close(*, notice: Notice, closed_on: date, acting_user: Any) -> Notice:
    """结束公示 once the window has run in full: every case without an objection becomes a proposed
    beneficiary and returns to the town for the collective review."""
    locked = _locked(notice, NoticeStatus.POSTED)
    assert locked.closes_on is not None
    if closed_on < locked.closes_on:
        raise ValidationError(
            {"closed_on": [f"公示期未满：{locked.closes_on.isoformat()} 起方可结束公示，不能提前结束。"]}
        )
    for item in locked.items.select_for_update().select_related("application"):
        if item.outcome == ItemOutcome.PENDING:
            item.outcome = ItemOutcome.NO_OBJECTION
            item.save(update_fields=["outcome"])
            case_services.notice_close(
                application=item.application,
                closed_on=closed_on,
                acting_user=acting_user,
                note=(
                    f"{locked.title}（{locked.posted_on} 至 {locked.closes_on}）期满无异议，"
                    "确定为拟救助帮扶对象。"
                ),
            )
    locked.status, locked.closed_on = NoticeStatus.CLOSED, closed_on
    locked.save(update_fields=["status", "closed_on"])
    return locked
