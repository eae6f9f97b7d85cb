"""Sending a case to the village notice (or, for an adjustment that adds nothing, straight to the review)
and closing the notice."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from workdays.selectors import workday_calendar

from .. import events
from ..models import Application
from ._core import REVIEW_DAYS, lock_for, move


@transaction.atomic
def notice_send(*, application: Application, acting_user: User) -> Application:
    """转村(居)公示: the town hands the investigated case to its village for the public notice."""
    locked, from_stage = lock_for(application, "send_to_notice")
    move(locked, "send_to_notice")
    events.notice_sent(application=locked, actor=acting_user, from_stage=from_stage)
    return locked


@transaction.atomic
def review_send(*, application: Application, acting_user: User) -> Application:
    """转集体研判 without a notice: an adjustment that adds no category skips the public notice (DESIGN
    §3.7); the review is due 3 working days later."""
    locked, from_stage = lock_for(application, "send_to_review")
    review = workday_calendar().add(timezone.localdate(), REVIEW_DAYS)
    move(locked, "send_to_review", review_due=review.date, review_due_provisional=review.provisional)
    events.review_sent(application=locked, actor=acting_user, from_stage=from_stage, review_due=review.date)
    return locked


@transaction.atomic
def notice_close(
    *, application: Application, closed_on: date, acting_user: User, note: str = ""
) -> Application:
    """公示期满无异议: the family is a proposed beneficiary; the review is due 3 working days later."""
    locked, from_stage = lock_for(application, "close_notice")
    review = workday_calendar().add(closed_on, REVIEW_DAYS)
    move(
        locked,
        "close_notice",
        notice_closed_on=closed_on,
        review_due=review.date,
        review_due_provisional=review.provisional,
    )
    events.notice_closed(
        application=locked, actor=acting_user, from_stage=from_stage, closed_on=closed_on, note=note
    )
    return locked
