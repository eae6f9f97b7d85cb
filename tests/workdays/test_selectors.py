"""The calendar read from the database: entered days and complete years (DESIGN §2, §3.5)."""

from __future__ import annotations

from datetime import date

import pytest

from workdays.calendar import Deadline
from workdays.models import CalendarDay, CalendarYear
from workdays.selectors import deadline_after, workday_calendar, working_days_left
from workdays.services import calendar_year_enter

pytestmark = pytest.mark.django_db


def _span(first: int, last: int, month: int) -> list[date]:
    return [date(2027, month, day) for day in range(first, last + 1)]


# A stand-in for the notice the State Council will publish for 2027 (not the real one, which does not
# exist yet): New Year 01-01..01-03, Spring Festival 02-05..02-13, swapped working Saturdays 01-30, 02-20.
STAND_IN_2027_OFF = [*_span(1, 3, 1), *_span(5, 13, 2)]
STAND_IN_2027_WORKING = [date(2027, 1, 30), date(2027, 2, 20)]


def test_the_design_example_from_the_database():
    assert deadline_after(start=date(2025, 9, 28), working_days=5) == Deadline(date(2025, 10, 11), False)


def test_a_2027_deadline_is_provisional_until_the_administrator_enters_the_year():
    # Before: weekends and holidays.China's statutory days (see test_calendar for the counting).
    assert deadline_after(start=date(2026, 12, 20), working_days=20) == Deadline(date(2027, 1, 18), True)
    assert deadline_after(start=date(2027, 1, 25), working_days=10) == Deadline(date(2027, 2, 12), True)

    calendar_year_enter(
        year=2027,
        days_off=STAND_IN_2027_OFF,
        working_days=STAND_IN_2027_WORKING,
        complete=True,
        source="国务院办公厅关于2027年部分节假日安排的通知（测试用）",
    )

    # The January deadline does not move (New Year falls as the law computed) but is now official.
    assert deadline_after(start=date(2026, 12, 20), working_days=20) == Deadline(date(2027, 1, 18), False)
    # Across the Spring Festival it moves: 01-26..01-29 (4), 01-30 swapped Saturday (5), 02-01..02-04 (9),
    # break 02-05..02-13, 02-15 (10) — three days later than the provisional 02-12.
    assert deadline_after(start=date(2027, 1, 25), working_days=10) == Deadline(date(2027, 2, 15), False)


def test_entered_days_without_a_complete_year_leave_the_other_days_provisional():
    CalendarDay.objects.create(date=date(2027, 1, 4), is_workday=False, note="测试")
    calendar = workday_calendar()
    assert calendar.is_workday(date(2027, 1, 4)) == (False, False)
    assert calendar.is_workday(date(2027, 1, 5)) == (True, True)
    # Marking the year complete makes the rest official by the weekday rule.
    CalendarYear.objects.create(year=2027, complete=True, source="测试")
    assert workday_calendar().is_workday(date(2027, 1, 5)) == (True, False)


def test_an_incomplete_year_record_changes_nothing():
    CalendarYear.objects.create(year=2027, complete=False, source="通知尚未全部录入")
    assert workday_calendar().is_workday(date(2027, 1, 1)) == (False, True)


def test_an_entered_day_overrides_the_package_in_a_known_year():
    # An administrator corrects 2025-10-11 (a swapped Saturday in the package) to a day off.
    CalendarDay.objects.create(date=date(2025, 10, 11), is_workday=False, note="更正")
    assert deadline_after(start=date(2025, 9, 28), working_days=5) == Deadline(date(2025, 10, 13), False)


def test_working_days_left_counts_to_the_deadline():
    assert working_days_left(today=date(2025, 9, 30), deadline=date(2025, 10, 11)) == (3, False)
    assert working_days_left(today=date(2025, 10, 13), deadline=date(2025, 10, 11)) == (-1, False)


def test_the_calendar_takes_two_queries_whatever_is_entered(django_assert_num_queries):
    with django_assert_num_queries(2):
        workday_calendar()
    calendar_year_enter(
        year=2027,
        days_off=STAND_IN_2027_OFF,
        working_days=STAND_IN_2027_WORKING,
        complete=True,
        source="测试",
    )
    CalendarYear.objects.create(year=2028, complete=True, source="测试")
    with django_assert_num_queries(2):
        calendar = workday_calendar()
    with django_assert_num_queries(0):
        for day in range(1, 29):
            calendar.add(date(2026, 12, day), 45)


def test_an_entry_is_seen_by_the_next_calendar_built():
    before = workday_calendar()
    CalendarDay.objects.create(date=date(2025, 10, 9), is_workday=False)
    assert before.is_workday(date(2025, 10, 9)) == (True, False)
    assert workday_calendar().is_workday(date(2025, 10, 9)) == (False, False)
