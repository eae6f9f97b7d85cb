"""Working days (DESIGN §3.5) as a pure rule: no database inside.

A day is judged by the first of these that applies:

(a) a day an administrator entered (`CalendarDay`) — it wins even over the packages;
(b) a year an administrator declared complete (`CalendarYear.complete`): Monday–Friday work, weekends off
    (the entered days carry the exceptions);
(c) a year `chinese_calendar` knows (the official State Council arrangements, 2004–2026 in 1.11.0);
(d) otherwise, **provisional**: weekends off, the statutory holidays of `holidays.China` off (it computes
    future years from the law, lunar dates and the law's make-up days included), every other day working.

Only (d) is provisional. A deadline is provisional when any day it had to judge was.

Each year is turned once into a table (working flag, provisional flag and running counts per day), so
`add` and `working_days_between` cost a bisection per year crossed, not a walk over the days. The package
part of a year's table is cached for the process; the part that depends on entered days is cached per
`WorkdayCalendar` instance, so code computing many deadlines (the daily task) builds one calendar and
reuses it.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import chinese_calendar
import holidays

SATURDAY = 5


class OutOfCalendarRange(ValueError):
    """The computation needs a year the date type cannot hold (past 9999)."""


@dataclass(frozen=True)
class Deadline:
    """A date computed in working days; `provisional` when it rests on a year nobody has entered."""

    date: dt.date
    provisional: bool


@dataclass(frozen=True)
class _Year:
    """One year, judged: flags per day (index 0 is 1 January) and running counts of both flags.

    `work_upto[i]` is the number of working days among the days with index < i (so it has one more entry
    than there are days); `provisional_upto` likewise for provisional days.
    """

    first_ordinal: int
    working: tuple[bool, ...]
    provisional: tuple[bool, ...]
    work_upto: tuple[int, ...]
    provisional_upto: tuple[int, ...]

    @classmethod
    def build(cls, year: int, working: list[bool], provisional: list[bool]) -> _Year:
        return cls(
            first_ordinal=dt.date(year, 1, 1).toordinal(),
            working=tuple(working),
            provisional=tuple(provisional),
            work_upto=tuple(accumulate(working, initial=0)),
            provisional_upto=tuple(accumulate(provisional, initial=0)),
        )

    @property
    def length(self) -> int:
        return len(self.working)


def _days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    length = (dt.date(year + 1, 1, 1) - first).days if year < dt.MAXYEAR else 365
    return [first + dt.timedelta(days=offset) for offset in range(length)]


def _weekday_rule(year: int) -> list[bool]:
    return [day.weekday() < SATURDAY for day in _days_of(year)]


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[dt.date]:
    """The statutory public holidays of a year per `holidays.China` (empty where it knows none)."""
    return frozenset(holidays.China(years=year))


def official_arrangement_known(year: int) -> bool:
    """Whether `chinese_calendar` holds the State Council's arrangement for this year."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=256)
def _package_year(year: int) -> tuple[tuple[bool, ...], bool]:
    """Working flags of a year from the packages alone, and whether they are provisional (rule (c) or (d))."""
    if official_arrangement_known(year):
        return tuple(chinese_calendar.is_workday(day) for day in _days_of(year)), False
    days_off = statutory_holidays(year)
    return tuple(day.weekday() < SATURDAY and day not in days_off for day in _days_of(year)), True


class WorkdayCalendar:
    """Answers "is this a working day" and "which day is N working days after that one".

    `entered_days` maps each entered date to whether it is a working day; `complete_years` are the years an
    administrator declared fully entered. Build it with `workdays.selectors.workday_calendar()`.
    """

    def __init__(self, entered_days: Mapping[dt.date, bool], complete_years: Collection[int]) -> None:
        self._entered: dict[int, dict[int, bool]] = defaultdict(dict)
        for day, working in entered_days.items():
            self._entered[day.year][day.timetuple().tm_yday - 1] = bool(working)
        self._complete = frozenset(complete_years)
        self._years: dict[int, _Year] = {}

    # Judging days ------------------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            if not dt.MINYEAR <= year <= dt.MAXYEAR:
                raise OutOfCalendarRange(f"{year}年超出可计算的日期范围")
            table = self._years[year] = self._build_year(year)
        return table

    def _build_year(self, year: int) -> _Year:
        if year in self._complete:
            working, provisional = _weekday_rule(year), False
        else:
            base, provisional = _package_year(year)
            working = list(base)
        flags = [provisional] * len(working)
        for index, entered in self._entered.get(year, {}).items():
            working[index] = entered
            flags[index] = False
        return _Year.build(year, working, flags)

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(working?, provisional?) for one day."""
        table = self._year(day.year)
        index = day.toordinal() - table.first_ordinal
        return table.working[index], table.provisional[index]

    # Counting ----------------------------------------------------------------------------------------

    def add(self, start: dt.date, days: int) -> Deadline:
        """The `days`-th working day after `start`; `start` itself never counts (DESIGN §3.5).

        `days == 0` gives `start` itself, whether or not it is a working day; no day after it is judged, so
        it is provisional only if `start`'s own day is (its year unknown and the day not entered).
        Raises ValueError for negative `days`, OutOfCalendarRange past the year 9999.
        """
        if days < 0:
            raise ValueError("days must be zero or more")
        if days == 0:
            return Deadline(start, self.is_workday(start)[1])
        table = self._year(start.year)
        index = start.toordinal() - table.first_ordinal
        worked = table.work_upto[index + 1]
        judged_provisional = table.provisional_upto[index + 1]
        remaining = days
        provisional = False
        year = start.year
        while True:
            available = table.work_upto[-1] - worked
            if remaining <= available:
                # The first day whose running count reaches the target is the answer.
                upto = bisect_left(table.work_upto, worked + remaining)
                provisional = provisional or table.provisional_upto[upto] > judged_provisional
                return Deadline(dt.date.fromordinal(table.first_ordinal + upto - 1), provisional)
            remaining -= available
            provisional = provisional or table.provisional_upto[-1] > judged_provisional
            year += 1
            table = self._year(year)
            worked = judged_provisional = 0

    def working_days_between(self, start: dt.date, end: dt.date) -> tuple[int, bool]:
        """Working days after `start` up to and including `end`, and whether any day counted was provisional.

        For `end` before `start` the count is negative (the working days after `end` up to `start`), so an
        overdue deadline reads as "-3"; equal dates give 0.
        """
        if end < start:
            count, provisional = self.working_days_between(end, start)
            return -count, provisional
        count = 0
        provisional = False
        for year in range(start.year, end.year + 1):
            table = self._year(year)
            low = start.toordinal() - table.first_ordinal + 1 if year == start.year else 0
            high = end.toordinal() - table.first_ordinal + 1 if year == end.year else table.length
            count += table.work_upto[high] - table.work_upto[low]
            provisional = provisional or table.provisional_upto[high] > table.provisional_upto[low]
        return count, provisional
