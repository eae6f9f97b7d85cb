"""Properties of the working-day rule over generated calendars and dates (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workdays.calendar import WorkdayCalendar

# 2002–2029: before, inside and after chinese_calendar's official years, so all four rules take part.
DATES = st.dates(date(2002, 1, 1), date(2029, 12, 31))
CALENDARS = st.builds(
    WorkdayCalendar,
    entered_days=st.dictionaries(DATES, st.booleans(), max_size=30),
    complete_years=st.frozensets(st.integers(2002, 2029), max_size=4),
)


def _naive_add(calendar: WorkdayCalendar, start: date, days: int) -> tuple[date, bool]:
    """Day by day, as DESIGN §3.5 words it."""
    day, provisional, counted = start, False, 0
    while counted < days:
        day += timedelta(days=1)
        working, day_provisional = calendar.is_workday(day)
        provisional = provisional or day_provisional
        counted += working
    return day, provisional


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=DATES, days=st.integers(0, 120))
def test_add_is_non_decreasing_and_lands_on_a_working_day(calendar, start, days):
    deadline = calendar.add(start, days)
    following = calendar.add(start, days + 1)
    assert deadline.date <= following.date
    assert following.date > deadline.date  # one more working day is always a later day
    assert calendar.is_workday(following.date)[0]
    if days >= 1:
        assert calendar.is_workday(deadline.date)[0]
    # A later deadline judged every day the earlier one did.
    assert following.provisional >= deadline.provisional or days == 0


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=DATES, days=st.integers(1, 120))
def test_add_agrees_with_walking_day_by_day(calendar, start, days):
    deadline = calendar.add(start, days)
    assert (deadline.date, deadline.provisional) == _naive_add(calendar, start, days)
    assert calendar.working_days_between(start, deadline.date) == (days, deadline.provisional)
