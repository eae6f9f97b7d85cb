"""Enrollments (DESIGN §3.7): the only code that writes them.

An enrollment is per household and category, and per member for 特困 and 单人户低保. It starts on the
town's approval date and ends with a date and a reason; `end_date` is the first day no longer enrolled
(households.selectors.enrolled_on). The monthly amount of a cash category is kept with the date it applies
from; simple-history keeps every earlier amount and names who changed it (`acting_user`, which a Celery
task passes explicitly — accounts.system.system_user).

Every service here locks the rows it changes, checks, and raises `EnrollmentRefused` (a DomainError with
a code and a Chinese message) when the rules refuse. Parameters live in eligibility, which households may
not import: the caller passes what it read there (the gradual-exit months, the amounts).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from daye_relief.errors import DomainError

from ..glossary import CASH_CATEGORIES, GRADUAL_EXIT_CATEGORIES, MEMBER_CATEGORIES, Category, EndReason
from ..models import Enrollment, Household, Member


class EnrollmentRefused(DomainError):
    code = "enrollment_refused"


def _save(enrollment: Enrollment, acting_user: User, fields: list[str] | None = None) -> None:
    enrollment._history_user = acting_user if getattr(acting_user, "pk", None) else None  # type: ignore[attr-defined]
    enrollment.full_clean(validate_constraints=False)
    enrollment.save(update_fields=fields)


def _open_on(on: date) -> Q:
    """Enrollments not ended by `on` (open-ended, or ending after it)."""
    return Q(end_date__isnull=True) | Q(end_date__gt=on)


def _check_amount(category: str, amount: Decimal | None) -> None:
    if category in CASH_CATEGORIES:
        if amount is not None and amount < 0:
            raise EnrollmentRefused("每月救助金不能为负数。", code="amount_negative", field="monthly_amount")
    elif amount is not None:
        raise EnrollmentRefused(
            f"{Category(category).label}不发放救助金，不能填写每月金额。",
            code="amount_not_cash",
            field="monthly_amount",
        )


@transaction.atomic
def enrollment_start(
    *,
    household: Household,
    category: str,
    start: date,
    acting_user: User,
    member: Member | None = None,
    monthly_amount: Decimal | None = None,
) -> Enrollment:
    """Enrolls a household (or, for 特困 and 单人户低保, one of its members) in a category from `start`."""
    if category not in Category.values:
        raise EnrollmentRefused("没有这个类别。", code="unknown_category", field="category")
    if category in MEMBER_CATEGORIES and member is None:
        raise EnrollmentRefused(
            f"{Category(category).label}按人纳入，请选择家庭成员。", code="member_required", field="member"
        )
    if category not in MEMBER_CATEGORIES and member is not None:
        raise EnrollmentRefused(
            f"{Category(category).label}按户纳入，不选家庭成员。", code="member_not_allowed", field="member"
        )
    if member is not None and (member.household_id != household.pk or not member.is_active):
        raise EnrollmentRefused("该成员不是本户在户成员。", code="member_not_in_household", field="member")
    _check_amount(category, monthly_amount)
    Household.objects.select_for_update().filter(pk=household.pk).first()  # one writer per household
    same = Enrollment.objects.filter(household=household, category=category, member=member).filter(
        _open_on(start)
    )
    existing = same.first()
    if existing is not None:
        who = f"{member.name}" if member is not None else "本户"
        raise EnrollmentRefused(
            f"{who}已纳入{Category(category).label}（{existing.start_date.isoformat()}起），不能重复纳入。",
            code="enrollment_exists",
            field="category",
        )
    enrollment = Enrollment(
        household=household,
        member=member,
        category=category,
        start_date=start,
        monthly_amount=monthly_amount,
        amount_since=start if monthly_amount is not None else None,
    )
    try:
        with transaction.atomic():
            _save(enrollment, acting_user)
    except IntegrityError:  # a second writer got there first
        raise EnrollmentRefused(
            f"已纳入{Category(category).label}，不能重复纳入。", code="enrollment_exists", field="category"
        ) from None
    return enrollment


def _locked(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_for_update().get(pk=enrollment.pk)


def _refuse_if_ended(enrollment: Enrollment) -> None:
    if enrollment.end_date is not None:
        raise EnrollmentRefused(
            f"该纳入已于{enrollment.end_date.isoformat()}退出（{enrollment.get_end_reason_display()}）。",
            code="enrollment_ended",
        )


@transaction.atomic
def enrollment_end(*, enrollment: Enrollment, on: date, reason: str, acting_user: User) -> Enrollment:
    """Ends an enrollment: from `on` the household (member) is no longer enrolled."""
    if reason not in EndReason.values:
        raise EnrollmentRefused("请选择退出原因。", code="end_reason_invalid", field="reason")
    locked = _locked(enrollment)
    _refuse_if_ended(locked)
    if on < locked.start_date:
        raise EnrollmentRefused(
            f"退出日期不能早于纳入日期 {locked.start_date.isoformat()}。", code="end_before_start", field="on"
        )
    locked.end_date, locked.end_reason = on, reason
    _save(locked, acting_user, ["end_date", "end_reason"])
    return locked


def gradual_exit_until(decided_on: date, months: int) -> date:
    """The last day of the month `months` after the month of the decision."""
    month_index = decided_on.year * 12 + decided_on.month - 1 + months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


@transaction.atomic
def gradual_exit_grant(
    *,
    enrollment: Enrollment,
    decided_on: date,
    months: int,
    income_from_work_or_business: bool,
    acting_user: User,
) -> Enrollment:
    """渐退期: a 低保 (household or 单人户) enrollment cancelled because income from work or a family
    business now exceeds the standard continues, amount included, to the end of the month `months`
    (the `gradual_exit_months` parameter in force) after the decision; the daily job then ends it."""
    locked = _locked(enrollment)
    _refuse_if_ended(locked)
    if locked.category not in GRADUAL_EXIT_CATEGORIES:
        raise EnrollmentRefused(
            f"渐退期只适用于低保（含单人户低保），不适用于{locked.get_category_display()}。",
            code="gradual_exit_category",
        )
    if not income_from_work_or_business:
        raise EnrollmentRefused(
            "只有因积极就业或发展产业使收入超过标准而取消低保的，才能给予渐退期。",
            code="gradual_exit_not_from_work",
        )
    if locked.gradual_exit_until is not None:
        raise EnrollmentRefused(
            f"已给予渐退期至{locked.gradual_exit_until.isoformat()}。", code="gradual_exit_exists"
        )
    if decided_on < locked.start_date or months < 0:
        raise EnrollmentRefused("决定日期不能早于纳入日期。", code="gradual_exit_date", field="decided_on")
    locked.gradual_exit_until = gradual_exit_until(decided_on, months)
    _save(locked, acting_user, ["gradual_exit_until"])
    return locked


@transaction.atomic
def gradual_exits_end_due(*, today: date, acting_user: User) -> int:
    """The daily job: ends every gradual exit whose last day is before `today`, from the day after that
    last day (so a late run still ends it on the right date). Running it twice changes nothing more."""
    due = Enrollment.objects.select_for_update().filter(end_date__isnull=True, gradual_exit_until__lt=today)
    ended = 0
    for enrollment in due:
        last_day: date = enrollment.gradual_exit_until  # type: ignore[assignment]
        enrollment.end_date = last_day + timedelta(days=1)
        enrollment.end_reason = EndReason.GRADUAL_EXIT_ENDED
        _save(enrollment, acting_user, ["end_date", "end_reason"])
        ended += 1
    return ended


@transaction.atomic
def enrollment_amount_set(
    *, enrollment: Enrollment, amount: Decimal, since: date, acting_user: User
) -> Enrollment:
    """Sets the monthly amount from `since` (增发/减发); the earlier amounts stay in the history."""
    locked = _locked(enrollment)
    _refuse_if_ended(locked)
    _check_amount(locked.category, amount)
    floor = locked.amount_since or locked.start_date
    if since < floor:
        raise EnrollmentRefused(
            f"金额执行日期不能早于 {floor.isoformat()}。", code="amount_date_before", field="since"
        )
    if locked.monthly_amount == amount and locked.amount_since is not None:
        return locked
    locked.monthly_amount, locked.amount_since = amount, since
    _save(locked, acting_user, ["monthly_amount", "amount_since"])
    return locked


@dataclass(frozen=True)
class NewEnrollment:
    """One row for `enrollments_bulk_start`: as `enrollment_start` takes it, by ids, with an end for an
    enrollment that has already ended (loading a caseload's past)."""

    household_id: int
    category: str
    start: date
    member_id: int | None = None
    monthly_amount: Decimal | None = None
    end: date | None = None
    end_reason: str = ""


def _bulk_row(item: NewEnrollment) -> Enrollment:
    if item.category not in Category.values:
        raise EnrollmentRefused(f"没有这个类别：{item.category}。", code="unknown_category", field="category")
    per_member = item.category in MEMBER_CATEGORIES
    if per_member != (item.member_id is not None):
        raise EnrollmentRefused(
            f"{Category(item.category).label}{'按人' if per_member else '按户'}纳入。",
            code="member_required" if item.member_id is None else "member_not_allowed",
            field="member",
        )
    _check_amount(item.category, item.monthly_amount)
    if item.end is not None and (item.end < item.start or item.end_reason not in EndReason.values):
        raise EnrollmentRefused("退出日期或退出原因不对。", code="end_invalid", field="end")
    return Enrollment(
        household_id=item.household_id,
        member_id=item.member_id,
        category=item.category,
        start_date=item.start,
        end_date=item.end,
        end_reason=item.end_reason if item.end is not None else "",
        monthly_amount=item.monthly_amount,
        amount_since=item.start if item.monthly_amount is not None else None,
    )


def enrollments_bulk_start(
    items: Iterable[NewEnrollment], *, acting_user: User | None, history: bool = True, batch_size: int = 5000
) -> int:
    """The bulk variant of `enrollment_start`, for loading many households at once (an existing caseload,
    the benchmark's generated city): each row is checked by the same rules, then written in batches.
    Two enrollments in force of one household (member) and category are refused by the database's
    constraints, which roll the whole batch back; that the members belong to their households is the
    caller's to ensure. `history=False` (the benchmark only) writes no history rows. Returns the count."""
    rows = [_bulk_row(item) for item in items]
    try:
        with transaction.atomic():
            if history:
                user = acting_user if getattr(acting_user, "pk", None) else None
                bulk_create_with_history(rows, Enrollment, batch_size=batch_size, default_user=user)
            else:
                Enrollment.objects.bulk_create(rows, batch_size=batch_size)
    except IntegrityError:
        raise EnrollmentRefused(
            "有家庭（成员）已纳入同一类别，不能重复纳入；本批均未写入。", code="enrollment_exists"
        ) from None
    return len(rows)
