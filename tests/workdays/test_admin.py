"""The administrator's calendar screens in the Django admin; only staff reach them."""

from __future__ import annotations

from datetime import date

import pytest

from workdays.models import CalendarDay, CalendarYear
from workdays.selectors import deadline_after

pytestmark = pytest.mark.django_db
DAYS_URL = "/admin/workdays/calendarday/"
YEARS_URL = "/admin/workdays/calendaryear/"


@pytest.fixture
def admin_client(client, world):
    administrator = world.users["administrator"]
    # As the demo data sets up the administrator (demo/seed.py): staff and superuser.
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(administrator)
    return client


def test_the_administrator_opens_the_calendar_day_changelist(admin_client):
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    CalendarDay.objects.create(date=date(2026, 10, 10), is_workday=True, note="国庆节调休上班")
    response = admin_client.get(DAYS_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "元旦" in content
    assert "国庆节调休上班" in content
    filtered = admin_client.get(DAYS_URL, {"year": "2027"}).content.decode()
    assert "元旦" in filtered
    assert "国庆节调休上班" not in filtered
    assert admin_client.get(DAYS_URL, {"date__year": "2026"}).status_code == 200
    assert admin_client.get(YEARS_URL).status_code == 200
    assert admin_client.get(f"{YEARS_URL}add/").status_code == 200


@pytest.mark.parametrize("role", ["town_clerk", "village_staff", "civil_affairs_reviewer"])
def test_non_staff_cannot_open_it(client, world, role):
    client.force_login(world.users[role])
    response = client.get(DAYS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_cannot_open_it(client):
    assert client.get(DAYS_URL).status_code == 302


def test_entering_a_year_through_the_form(admin_client):
    response = admin_client.post(
        f"{YEARS_URL}add/",
        {
            "year": "2027",
            "source": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
            "note": "",
            "holiday_dates": "2027-01-01~2027-01-03\n2027-02-05 至 2027-02-13",
            "workday_dates": "2027-01-30、2027-02-20",
            "day_note": "",
            "complete": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert CalendarYear.objects.get(year=2027).complete
    assert CalendarDay.objects.filter(date__year=2027, is_workday=False).count() == 12
    assert CalendarDay.objects.filter(date__year=2027, is_workday=True).count() == 2
    # The history records who entered it.
    assert CalendarDay.history.filter(history_user__username="it_admin").count() == 14
    assert deadline_after(start=date(2027, 1, 25), working_days=10).date == date(2027, 2, 15)
    change = admin_client.get(f"{YEARS_URL}{CalendarYear.objects.get(year=2027).pk}/change/")
    assert "2027-02-05~2027-02-13" in change.content.decode()


def test_the_form_shows_every_wrong_date_and_enters_nothing(admin_client):
    response = admin_client.post(
        f"{YEARS_URL}add/",
        {"year": "2027", "source": "", "holiday_dates": "2027-02-01", "workday_dates": "2027-02-01"},
    )
    assert response.status_code == 200
    assert "2027-02-01 同时填在放假和上班中。" in response.content.decode()
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()


def test_list_editing_a_day(admin_client):
    day = CalendarDay.objects.create(date=date(2027, 1, 30), is_workday=False)
    response = admin_client.post(
        DAYS_URL,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(day.pk),
            "form-0-is_workday": "on",
            "form-0-note": "春节调休上班",
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.is_workday
    assert day.note == "春节调休上班"
