"""Writes of the public notice: compose, edit or delete a draft, post, record and answer objections,
close. Every date is today's (DESIGN §3.4, issue 8 point 9): a notice is posted on the day it goes on the
board, objections are taken while its window is open, and it closes on a day on or after the window's
end. A closed notice is never edited again. Cases move through applications.services, never directly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import OrgUnit, User
from applications import services as case_services
from applications.glossary import Stage
from applications.models import Application
from daye_relief.errors import DomainError, InvalidInput, InvalidTransition
from eligibility.selectors import ParameterTable
from workdays.selectors import workday_calendar

from .glossary import OBJECTOR_MAX, TEXT_MAX, ItemOutcome, NoticeStatus
from .models import Notice, NoticeItem, Objection
from .selectors import is_live, live_items
from .workflow import NOTICE


class NoticeLocked(InvalidTransition):
    """The notice is past the state that allows this (a closed notice is never edited)."""

    code = "notice_locked"


class NoticeWindowClosed(DomainError):
    """An objection outside the notice's window: before it was posted or after it ran out."""

    code = "notice_window_closed"


class NoticeWindowOpen(DomainError):
    """The notice cannot close before its window has run in full."""

    code = "notice_window_open"


class ItemLeftNotice(InvalidTransition):
    """The case is no longer on this notice (an objection, or it was returned from its own page)."""

    code = "notice_item_left"


def _locked(notice: Notice, move: str) -> Notice:
    """The notice under its row lock, guarded by the notice's state machine (NoticeLocked if refused)."""
    locked = (
        Notice.objects.select_for_update(of=("self",)).select_related("village__parent").get(pk=notice.pk)
    )
    NOTICE.guard(move, locked.status, error=NoticeLocked)
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
    elsewhere = set(
        live_items()
        .filter(application__in=ids, notice__status__in=[NoticeStatus.DRAFT, NoticeStatus.POSTED])
        .exclude(notice=notice)
        .values_list("application_id", flat=True)
    )
    errors = []
    for application in applications:
        if application.household.village_id != village.pk:
            errors.append(f"{application.case_number} 不属于{village.name}。")
        elif application.stage != Stage.PUBLICIZING:
            errors.append(
                f"{application.case_number} 当前为“{Stage(application.stage).label}”，不在待公示状态。"
            )
        elif application.pk in elsewhere:
            errors.append(f"{application.case_number} 已在另一份公示中。")
    if not applications:
        errors.append("请至少选择一个待公示的案件。")
    if errors:
        raise InvalidInput(code="notice_cases_invalid", errors={"applications": errors})
    return applications


def _contact(village: OrgUnit) -> str:
    """The objection phone the notice prints: the town's social-affairs office."""
    town = village.parent
    return town.contact_phone if town else ""


@transaction.atomic
def notice_create(*, village: OrgUnit, applications: Sequence[Application], acting_user: User) -> Notice:
    """A draft notice (待张贴) of the village with the chosen cases (the town has sent them for the
    notice). Its title is composed, never typed (Notice.title)."""
    applications = _check_cases(village, applications)
    notice = Notice.objects.create(village=village, contact=_contact(village), created_by=acting_user)
    NoticeItem.objects.bulk_create(NoticeItem(notice=notice, application=a) for a in applications)
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, applications: Sequence[Application], acting_user: User) -> Notice:
    """Changes which cases a draft holds; a posted notice is what the board shows and is not edited."""
    locked = _locked(notice, "edit")
    applications = _check_cases(locked.village, applications, notice=locked)
    chosen = {application.pk for application in applications}
    locked.items.exclude(application__in=chosen).delete()
    present = set(locked.items.values_list("application_id", flat=True))
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=locked, application=a) for a in applications if a.pk not in present
    )
    locked.contact = _contact(locked.village)
    locked.save(update_fields=["contact"])
    return locked


@transaction.atomic
def notice_delete(*, notice: Notice, acting_user: User) -> OrgUnit:
    """Deletes a draft; its cases wait for a notice again. A posted notice stays on record. Returns the
    village whose board it was."""
    locked = _locked(notice, "delete")
    village = locked.village
    locked.delete()
    return village


def notice_window(*, village: OrgUnit, posted_on: date) -> tuple[int, bool, date, bool]:
    """(days, in working days?, the day the window has run in full, provisional?) from the parameters in
    force on the posting day (the unit is the parameter `notice_working_days`). The posting day itself
    does not count, as for every deadline."""
    parameters = ParameterTable.load().in_force(village.code, posted_on)
    days, working = parameters.notice_days, parameters.notice_working_days
    if working:
        deadline = workday_calendar().add(posted_on, days)
        return days, True, deadline.date, deadline.provisional
    return days, False, posted_on + timedelta(days=days), False


@transaction.atomic
def notice_post(*, notice: Notice, acting_user: User) -> Notice:
    """张贴, dated today: the posting day starts the window."""
    locked = _locked(notice, "post")
    items = list(locked.items.select_related("application__household"))
    _check_cases(locked.village, [item.application for item in items], notice=locked)
    today = timezone.localdate()
    days, working, closes_on, provisional = notice_window(village=locked.village, posted_on=today)
    locked.status = NOTICE.target("post")
    locked.posted_on, locked.closes_on, locked.closes_on_provisional = today, closes_on, provisional
    locked.window_days, locked.window_working_days = days, working
    locked.contact = _contact(locked.village)
    locked.save()
    return locked


def _window_open(notice: Notice, today: date) -> None:
    assert notice.posted_on is not None
    assert notice.closes_on is not None
    if not notice.posted_on <= today <= notice.closes_on:
        raise NoticeWindowClosed(
            f"公示期为 {notice.posted_on.isoformat()} 至 {notice.closes_on.isoformat()}，"
            "只在公示期内受理异议。"
        )


def _text(errors: dict[str, list[str]], field: str, value: str, limit: int, label: str) -> str:
    value = value.strip()
    if len(value) > limit:
        errors.setdefault(field, []).append(f"{label}最多 {limit} 个字，现有 {len(value)} 个字。")
    return value


@transaction.atomic
def objection_record(
    *, item: NoticeItem, received_on: date, objector: str, channel: str, content: str, acting_user: User
) -> Objection:
    """An objection while the window is open: the case leaves the notice at once and goes back to
    investigation (with a new due date); a new notice follows the re-investigation."""
    notice = _locked(item.notice, "object")
    today = timezone.localdate()
    _window_open(notice, today)
    assert notice.posted_on is not None
    errors: dict[str, list[str]] = {}
    content = _text(errors, "content", content, TEXT_MAX, "反映内容")
    objector = _text(errors, "objector", objector, OBJECTOR_MAX, "反映人")
    if not content:
        errors.setdefault("content", []).append("请记录反映的具体内容。")
    if not notice.posted_on <= received_on <= today:
        errors.setdefault("received_on", []).append(
            f"受理日期应在公示张贴日期（{notice.posted_on.isoformat()}）和今天之间。"
        )
    if errors:
        raise InvalidInput(errors=errors)
    locked_item = NoticeItem.objects.select_for_update().select_related("application").get(pk=item.pk)
    if not is_live(locked_item):
        raise ItemLeftNotice(
            f"案件 {locked_item.application.case_number} 已退出本次公示（已退回重新调查），不再登记异议。"
        )
    objection = Objection.objects.create(
        item=locked_item,
        received_on=received_on,
        objector=objector,
        channel=channel,
        content=content,
        recorded_by=acting_user,
    )
    locked_item.outcome = ItemOutcome.OBJECTED
    locked_item.save(update_fields=["outcome"])
    case_services.reinvestigation_return(
        application=locked_item.application, reason=f"公示期间有异议：{content}", acting_user=acting_user
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, answer: str, acting_user: User) -> Objection:
    """答复, dated today."""
    errors: dict[str, list[str]] = {}
    answer = _text(errors, "answer", answer, TEXT_MAX, "答复")
    if not answer:
        errors.setdefault("answer", []).append("请填写答复内容。")
    if errors:
        raise InvalidInput(errors=errors)
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.answered_on is not None:
        raise NoticeLocked("该异议已答复。")
    locked.answer, locked.answered_on, locked.answered_by = answer, timezone.localdate(), acting_user
    locked.save(update_fields=["answer", "answered_on", "answered_by"])
    return locked


@transaction.atomic
def notice_close(*, notice: Notice, acting_user: User) -> Notice:
    """结束公示, dated today, once the window has run in full: every case still on the notice without an
    objection becomes a proposed beneficiary and returns to the town for the collective review. A case
    that left the notice (returned from its own page) is marked so and does not hold the others up."""
    locked = _locked(notice, "close")
    assert locked.closes_on is not None
    today = timezone.localdate()
    if today < locked.closes_on:
        raise NoticeWindowOpen(
            f"公示期未满：{locked.closes_on.isoformat()} 起方可结束公示，不能提前结束。", field="closed_on"
        )
    live = set(live_items().filter(notice=locked).values_list("pk", flat=True))
    for item in locked.items.select_for_update().select_related("application"):
        if item.outcome != ItemOutcome.PENDING:
            continue
        if item.pk not in live:
            item.outcome = ItemOutcome.LEFT
            item.save(update_fields=["outcome"])
            continue
        item.outcome = ItemOutcome.NO_OBJECTION
        item.save(update_fields=["outcome"])
        case_services.notice_close(
            application=item.application,
            closed_on=today,
            acting_user=acting_user,
            note=(
                f"{locked.title}（{locked.posted_on} 至 {locked.closes_on}）期满无异议，"
                "确定为拟救助帮扶对象。"
            ),
        )
    locked.status, locked.closed_on = NOTICE.target("close"), today
    locked.save(update_fields=["status", "closed_on"])
    return locked
