"""The daily refresh of the deadline flags of open cases."""

from __future__ import annotations

from datetime import date

from workdays.selectors import workday_calendar

from .. import selectors
from ..glossary import OPEN_STAGES, DeadlineFlag
from ..models import Application

DUE_SOON_WORKING_DAYS = 2


def deadline_flags_refresh(*, today: date) -> dict[str, int]:
    """Marks every open case due soon (within 2 working days) or overdue, and clears the others.
    Safe to run any number of times a day; a handful of queries whatever the number of cases."""
    calendar = workday_calendar()
    flags: dict[str, list[int]] = {DeadlineFlag.OVERDUE: [], DeadlineFlag.DUE_SOON: [], DeadlineFlag.NONE: []}
    for application in Application.objects.filter(stage__in=OPEN_STAGES).select_related("investigation"):
        dues = selectors.binding_deadlines(application)
        nearest = min(dues) if dues else None
        flag: str
        if nearest is None:
            flag = DeadlineFlag.NONE
        elif nearest < today:
            flag = DeadlineFlag.OVERDUE
        elif calendar.working_days_between(today, nearest)[0] <= DUE_SOON_WORKING_DAYS:
            flag = DeadlineFlag.DUE_SOON
        else:
            flag = DeadlineFlag.NONE
        if flag != application.deadline_flag:
            flags[flag].append(application.pk)
    for flag, ids in flags.items():
        if ids:
            Application.objects.filter(pk__in=ids).update(deadline_flag=flag)
    Application.objects.exclude(stage__in=OPEN_STAGES).exclude(deadline_flag="").update(deadline_flag="")
    return {flag or "none": len(ids) for flag, ids in flags.items()}
