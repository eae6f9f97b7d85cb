"""Reads for working days: the one place that turns the entered arrangement into a `WorkdayCalendar`.

`workday_calendar()` is built per call with exactly two queries (entered days, complete years); there is no
process-wide cache, so an administrator's entry counts from the next request on every worker without any
invalidation. The costly part — the packages' view of each year — is cached in `workdays.calendar` for the
process. Code computing many deadlines (the daily task) calls `workday_calendar()` once and reuses it.
"""

from __future__ import annotations

from datetime import date

from .calendar import Deadline, WorkdayCalendar
from .models import CalendarDay, CalendarYear


def workday_calendar() -> WorkdayCalendar:
    """The calendar with every entered day and complete year, read now (two queries)."""
    entered = dict(CalendarDay.objects.values_list("date", "is_workday"))
    complete = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    return WorkdayCalendar(entered_days=entered, complete_years=complete)


def deadline_after(*, start: date, working_days: int, calendar: WorkdayCalendar | None = None) -> Deadline:
    """The `working_days`-th working day after `start` (DESIGN §3.4, §3.5); pass `calendar` to reuse one."""
    return (calendar or workday_calendar()).add(start, working_days)


def working_days_left(
    *, today: date, deadline: date, calendar: WorkdayCalendar | None = None
) -> tuple[int, bool]:
    """Working days after `today` up to and including `deadline` (negative when overdue), and provisional?"""
    return (calendar or workday_calendar()).working_days_between(today, deadline)
