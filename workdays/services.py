"""Writes for working days: an administrator enters a year's official arrangement (DESIGN §2, §3.5)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from .models import CalendarDay, CalendarYear

SATURDAY = 5


class ArrangementInvalid(ValueError):
    """The dates entered cannot be an official arrangement; `errors` are messages an administrator reads."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


def arrangement_errors(*, year: int, days_off: Iterable[date], working_days: Iterable[date]) -> list[str]:
    """What is wrong with a year's entered dates (pure; empty when they can be entered).

    A notice covers its own year and may begin in the December before it (a New Year break such as
    2017-12-30 to 2018-01-01). A swapped working day (调休上班) is always a Saturday or a Sunday.
    """
    off, working = sorted(set(days_off)), sorted(set(working_days))
    first, last = date(year - 1, 12, 1), date(year, 12, 31)
    errors = [
        f"{day.isoformat()} 不在{year}年安排的范围内（{first.isoformat()} 至 {last.isoformat()}）。"
        for day in sorted({*off, *working})
        if not first <= day <= last
    ]
    errors += [f"{day.isoformat()} 同时填在放假和上班中。" for day in sorted(set(off) & set(working))]
    errors += [
        f"{day.isoformat()} 是工作日（周一至周五），不需要登记为调休上班。"
        for day in working
        if day.weekday() < SATURDAY
    ]
    return errors


@transaction.atomic
def calendar_days_enter(
    *, year: int, days_off: Iterable[date], working_days: Iterable[date], note: str = ""
) -> int:
    """Enters (creates or updates) days of a year's arrangement; days already entered and not named stay.

    Returns the number of days created or changed. Each day is saved on its own so its history is kept.
    """
    off, working = sorted(set(days_off)), sorted(set(working_days))
    errors = arrangement_errors(year=year, days_off=off, working_days=working)
    if errors:
        raise ArrangementInvalid(errors)
    written = 0
    for day, is_workday in [*((day, False) for day in off), *((day, True) for day in working)]:
        row, created = CalendarDay.objects.get_or_create(
            date=day, defaults={"is_workday": is_workday, "note": note}
        )
        if not created and (row.is_workday != is_workday or (note and row.note != note)):
            row.is_workday = is_workday
            row.note = note or row.note
            row.save(update_fields=["is_workday", "note"])
            written += 1
        elif created:
            written += 1
    return written


@transaction.atomic
def calendar_year_enter(
    *,
    year: int,
    days_off: Iterable[date],
    working_days: Iterable[date],
    complete: bool,
    source: str,
    note: str = "",
) -> CalendarYear:
    """Enters a year's arrangement from the State Council's notice and records the notice on the year."""
    calendar_days_enter(year=year, days_off=days_off, working_days=working_days)
    calendar_year, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"complete": complete, "source": source, "note": note}
    )
    return calendar_year
