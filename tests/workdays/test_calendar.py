"""The pure working-day rule (DESIGN §3.5): no database."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest

from workdays.calendar import Deadline, OutOfCalendarRange, WorkdayCalendar

PACKAGES_ONLY = WorkdayCalendar(entered_days={}, complete_years=())


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


# 2025 National Day and Mid-Autumn (the DESIGN example) ---------------------------------------------


def test_design_example_five_working_days_after_2025_09_28():
    assert PACKAGES_ONLY.add(date(2025, 9, 28), 5) == Deadline(date(2025, 10, 11), provisional=False)


def test_2025_national_day_period_is_off_and_its_swapped_weekends_are_working():
    for day in _span(date(2025, 10, 1), date(2025, 10, 8)):
        assert PACKAGES_ONLY.is_workday(day) == (False, False), day
    # 2025-09-28 is a Sunday and 2025-10-11 a Saturday: both swapped working days (调休上班).
    assert date(2025, 9, 28).weekday() == 6
    assert date(2025, 10, 11).weekday() == 5
    assert PACKAGES_ONLY.is_workday(date(2025, 9, 28)) == (True, False)
    assert PACKAGES_ONLY.is_workday(date(2025, 10, 11)) == (True, False)
    assert PACKAGES_ONLY.is_workday(date(2025, 10, 12)) == (False, False)


def test_the_start_day_does_not_count():
    # 2025-09-28 is itself a working day, yet 1 working day after it is the next one.
    assert PACKAGES_ONLY.add(date(2025, 9, 28), 1).date == date(2025, 9, 29)
    assert PACKAGES_ONLY.add(date(2025, 9, 30), 1).date == date(2025, 10, 9)


# 2026 Spring Festival, against chinese_calendar's own 2026 data --------------------------------------

SPRING_FESTIVAL_2026_OFF = _span(date(2026, 2, 15), date(2026, 2, 23))
SPRING_FESTIVAL_2026_SWAPPED = [date(2026, 2, 14), date(2026, 2, 28)]


def test_2026_spring_festival_matches_the_package():
    for day in SPRING_FESTIVAL_2026_OFF:
        assert chinese_calendar.get_holiday_detail(day) == (True, "Spring Festival"), day
        assert PACKAGES_ONLY.is_workday(day) == (False, False), day
    for day in SPRING_FESTIVAL_2026_SWAPPED:
        assert day.weekday() == 5
        assert chinese_calendar.get_holiday_detail(day) == (False, "Spring Festival"), day
        assert chinese_calendar.is_workday(day)
        assert PACKAGES_ONLY.is_workday(day) == (True, False), day
    # The days either side of the break are ordinary.
    assert PACKAGES_ONLY.is_workday(date(2026, 2, 13)) == (True, False)
    assert PACKAGES_ONLY.is_workday(date(2026, 2, 24)) == (True, False)
    assert PACKAGES_ONLY.is_workday(date(2026, 3, 1)) == (False, False)


def test_investigation_deadline_across_the_2026_spring_festival():
    # Intake Thursday 2026-02-12: 02-13 (Fri) 1, 02-14 (swapped Sat) 2, break 02-15..02-23,
    # 02-24 3, 02-25 4, 02-26 5.
    assert PACKAGES_ONLY.add(date(2026, 2, 12), 5) == Deadline(date(2026, 2, 26), provisional=False)
    # The overall deadline of the regular procedure, 20 working days: 02-13, 02-14, 02-24..02-27 (6),
    # 02-28 (swapped Sat, 7), 03-02..03-06 (12), 03-09..03-13 (17), 03-16, 03-17, 03-18 (20).
    assert PACKAGES_ONLY.add(date(2026, 2, 12), 20) == Deadline(date(2026, 3, 18), provisional=False)
    assert PACKAGES_ONLY.working_days_between(date(2026, 2, 12), date(2026, 2, 26)) == (5, False)


# A year no package knows: provisional ------------------------------------------------------------------


def test_2027_statutory_holidays_come_from_python_holidays():
    statutory = set(holidays.China(years=2027))
    assert date(2027, 1, 1) in statutory
    assert set(_span(date(2027, 2, 5), date(2027, 2, 10))) <= statutory
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))
    assert PACKAGES_ONLY.is_workday(date(2027, 1, 1)) == (False, True)
    assert PACKAGES_ONLY.is_workday(date(2027, 1, 4)) == (True, True)
    assert PACKAGES_ONLY.is_workday(date(2027, 1, 9)) == (False, True)


def test_a_deadline_in_2027_is_provisional():
    # 20 working days after Sunday 2026-12-20: 2026 is official (nothing off late December), so
    # 12-21..12-25 (5) and 12-28..12-31 (9); 2027-01-01 (Fri) is New Year's Day in holidays.China, then
    # 01-04..01-08 (14), 01-11..01-15 (19), 01-18 (20). Days of 2027 were judged, so it is provisional.
    assert PACKAGES_ONLY.add(date(2026, 12, 20), 20) == Deadline(date(2027, 1, 18), provisional=True)
    # Across the 2027 Spring Festival as holidays.China computes it from the law: 02-05 (eve) to 02-08,
    # plus the make-up days 02-09 and 02-10 for the weekend. After Monday 2027-01-25: 01-26..01-29 (4),
    # 02-01..02-04 (8), 02-11 (9), 02-12 (10).
    assert PACKAGES_ONLY.add(date(2027, 1, 25), 10) == Deadline(date(2027, 2, 12), provisional=True)


def test_a_deadline_ending_before_the_unknown_year_is_not_provisional():
    assert PACKAGES_ONLY.add(date(2026, 12, 20), 9) == Deadline(date(2026, 12, 31), provisional=False)
    assert PACKAGES_ONLY.working_days_between(date(2026, 12, 20), date(2026, 12, 31)) == (9, False)
    assert PACKAGES_ONLY.working_days_between(date(2026, 12, 20), date(2027, 1, 18)) == (20, True)


def test_a_year_beyond_every_package_is_weekends_only_and_never_a_crash():
    assert not set(holidays.China(years=2150))
    assert PACKAGES_ONLY.is_workday(date(2150, 1, 1)) == (True, True)  # a Thursday
    assert PACKAGES_ONLY.add(date(2150, 1, 1), 2) == Deadline(date(2150, 1, 5), provisional=True)


# Entered days and complete years ------------------------------------------------------------------------


def test_an_entered_day_overrides_the_package_in_a_known_year():
    calendar = WorkdayCalendar(
        entered_days={date(2025, 10, 11): False, date(2025, 10, 8): True}, complete_years=()
    )
    assert calendar.is_workday(date(2025, 10, 11)) == (False, False)
    assert calendar.is_workday(date(2025, 10, 8)) == (True, False)
    # 09-29, 09-30, 10-08 (entered), 10-09, 10-10.
    assert calendar.add(date(2025, 9, 28), 5) == Deadline(date(2025, 10, 10), provisional=False)


def test_entered_days_in_an_unknown_year_are_not_provisional_but_the_rest_is():
    calendar = WorkdayCalendar(entered_days={date(2027, 1, 4): False}, complete_years=())
    assert calendar.is_workday(date(2027, 1, 4)) == (False, False)
    assert calendar.is_workday(date(2027, 1, 5)) == (True, True)


def test_a_complete_year_follows_the_weekday_rule_and_its_entered_days():
    calendar = WorkdayCalendar(
        entered_days={date(2027, 1, 1): False, date(2027, 1, 30): True}, complete_years=[2027]
    )
    assert calendar.is_workday(date(2027, 1, 1)) == (False, False)
    assert calendar.is_workday(date(2027, 1, 30)) == (True, False)  # a swapped Saturday
    assert calendar.is_workday(date(2027, 1, 31)) == (False, False)
    # 2027-02-08 is a statutory holiday for holidays.China, but the complete year does not list it.
    assert calendar.is_workday(date(2027, 2, 8)) == (True, False)


def test_zero_days_is_the_start_itself():
    assert PACKAGES_ONLY.add(date(2025, 10, 1), 0) == Deadline(date(2025, 10, 1), provisional=False)
    assert PACKAGES_ONLY.add(date(2027, 3, 1), 0) == Deadline(date(2027, 3, 1), provisional=True)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="zero or more"):
        PACKAGES_ONLY.add(date(2025, 10, 1), -1)


def test_working_days_between_counts_back_when_overdue():
    assert PACKAGES_ONLY.working_days_between(date(2025, 10, 11), date(2025, 9, 28)) == (-5, False)
    assert PACKAGES_ONLY.working_days_between(date(2025, 10, 11), date(2025, 10, 11)) == (0, False)


def test_past_the_last_representable_year_is_a_clear_error():
    with pytest.raises(OutOfCalendarRange):
        PACKAGES_ONLY.add(date(9999, 12, 20), 20)


def test_a_long_deadline_crosses_several_years():
    # 400 working days after 2024-12-31: 2025 has 248 official working days, so it ends in 2026.
    assert len(chinese_calendar.get_workdays(date(2025, 1, 1), date(2025, 12, 31))) == 248
    deadline = PACKAGES_ONLY.add(date(2024, 12, 31), 400)
    assert deadline == Deadline(date(2026, 8, 13), provisional=False)
    assert PACKAGES_ONLY.working_days_between(date(2024, 12, 31), deadline.date) == (400, False)
    assert PACKAGES_ONLY.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == (248, False)
