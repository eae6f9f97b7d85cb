"""The public long-term list and the warning list are paginated, and their query counts do not grow with
the page size or the number of rows (issue 12 point 3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from households.models import Enrollment
from monitoring.models import Warning
from monitoring.views import warnings as warning_views
from publicity import public_views
from tests.factories import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db

ROWS = 12  # more than the smaller page size below, so both sizes cut the list


def _households(world, count: int) -> list:
    households = []
    for n in range(count):
        household = HouseholdFactory(village=world.village_a1, household_number=f"420281104201-9{n:03d}")
        MemberFactory(household=household, name=f"周{n:02d}平")
        MemberFactory(household=household, name=f"周{n:02d}安", relation="spouse")
        households.append(household)
    return households


@pytest.mark.parametrize("page_size", [5, 50])
def test_public_long_term_list_pages_in_a_fixed_number_of_queries(
    world, monkeypatch, django_assert_max_num_queries, page_size: int
) -> None:
    for household in _households(world, ROWS):
        Enrollment.objects.create(household=household, category="dibao", start_date=date(2024, 1, 1))
    monkeypatch.setattr(public_views, "PUBLIC_LIST_PAGE", page_size)
    cache.clear()
    with django_assert_max_num_queries(4):
        page = Client().get(f"/public/villages/{world.village_a1.code}/").content.decode()
    assert f"共 {ROWS} 户" in page
    assert page.count("2人") == min(page_size, ROWS)  # each listed household: 2 members
    if page_size < ROWS:
        assert "第 1 / 3 页" in page
        last = Client().get(f"/public/villages/{world.village_a1.code}/?page=3").content.decode()
        assert last.count("2人") == ROWS - 2 * page_size
    else:
        assert "下一页" not in page


@pytest.mark.parametrize("page_size", [5, 50])
def test_warning_list_pages_in_a_fixed_number_of_queries(
    world, monkeypatch, django_assert_max_num_queries, page_size: int
) -> None:
    today = date.today()
    for n, household in enumerate(_households(world, ROWS)):
        Warning.objects.create(
            type="medical_burden",
            severity="high",
            household=household,
            member=household.members.first(),
            year=2026,
            town=household.village.parent,
            assignee=world.town_a,
            raised_on=today,
            due_on=today + timedelta(days=n + 1),
            detail=f"医疗自付 {n}",
        )
    monkeypatch.setattr(warning_views, "WARNING_PAGE", page_size)
    client = Client()
    client.force_login(world.users["town_clerk"])
    client.get("/monitoring/warnings/")  # warm the session and the per-user caches
    with django_assert_max_num_queries(12):
        page = client.get("/monitoring/warnings/").content.decode()
    assert f"（{ROWS} 条）" in page
    assert page.count("医疗负担过重") == min(page_size, ROWS)
    if page_size < ROWS:
        assert "第 1 / 3 页" in page
        last = client.get("/monitoring/warnings/?status=active&page=3").content.decode()
        assert last.count("医疗负担过重") == ROWS - 2 * page_size
        assert "医疗自付 11" in last  # ordered by due date: the latest due is last
