"""Entering a year's arrangement (DESIGN §2: the administrator manages the holiday calendar)."""

from __future__ import annotations

from datetime import date

import pytest

from workdays.models import CalendarDay, CalendarYear
from workdays.services import (
    ArrangementInvalid,
    arrangement_errors,
    calendar_days_enter,
    calendar_year_enter,
)


def test_a_plausible_arrangement_has_no_errors():
    assert (
        arrangement_errors(
            year=2018,
            days_off=[date(2017, 12, 30), date(2017, 12, 31), date(2018, 1, 1)],
            working_days=[date(2018, 2, 11)],
        )
        == []
    )


def test_arrangement_errors_name_every_wrong_date():
    errors = arrangement_errors(
        year=2027,
        days_off=[date(2026, 11, 30), date(2027, 1, 30)],
        working_days=[date(2027, 1, 30), date(2027, 2, 1), date(2028, 1, 1)],  # 2028-01-01: a Saturday
    )
    assert errors == [
        "2026-11-30 不在2027年安排的范围内（2026-12-01 至 2027-12-31）。",
        "2028-01-01 不在2027年安排的范围内（2026-12-01 至 2027-12-31）。",
        "2027-01-30 同时填在放假和上班中。",
        "2027-02-01 是工作日（周一至周五），不需要登记为调休上班。",
    ]


@pytest.mark.django_db
def test_entering_a_year_writes_its_days_with_history():
    calendar_year = calendar_year_enter(
        year=2027,
        days_off=[date(2027, 1, 1), date(2027, 1, 2)],
        working_days=[date(2027, 1, 30)],
        complete=True,
        source="国务院办公厅通知（测试用）",
    )
    assert calendar_year.complete
    assert dict(CalendarDay.objects.values_list("date", "is_workday")) == {
        date(2027, 1, 1): False,
        date(2027, 1, 2): False,
        date(2027, 1, 30): True,
    }
    assert CalendarDay.history.count() == 3
    assert CalendarYear.history.count() == 1


@pytest.mark.django_db
def test_entering_again_updates_changed_days_and_keeps_the_others():
    CalendarDay.objects.create(date=date(2027, 1, 30), is_workday=False, note="旧")
    CalendarDay.objects.create(date=date(2027, 4, 5), is_workday=False, note="清明节")
    written = calendar_days_enter(
        year=2027, days_off=[date(2027, 1, 1)], working_days=[date(2027, 1, 30)], note="元旦"
    )
    assert written == 2
    assert CalendarDay.objects.get(date=date(2027, 1, 30)).is_workday
    assert CalendarDay.objects.get(date=date(2027, 4, 5)).note == "清明节"
    assert calendar_days_enter(year=2027, days_off=[date(2027, 1, 1)], working_days=[], note="元旦") == 0


@pytest.mark.django_db
def test_a_wrong_arrangement_writes_nothing():
    with pytest.raises(ArrangementInvalid) as caught:
        calendar_year_enter(
            year=2027,
            days_off=[date(2027, 1, 1)],
            working_days=[date(2027, 2, 1)],
            complete=True,
            source="测试",
        )
    assert caught.value.errors == ["2027-02-01 是工作日（周一至周五），不需要登记为调休上班。"]
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()
