"""The after-approval pages on a 390 px phone: a wide table scrolls sideways inside its own box, the page
itself never does (the header, headings and buttons stay on screen)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from monitoring.services.checks import check_plan_create, half_yearly_check_run

from .test_adjustment import _enrolled_family
from .test_case import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_enrolled_household_page_fits_a_phone_with_the_member_change_link(page: Page, live_server, world):
    household, _mother = _enrolled_family(world)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    members = page.locator("table.members")
    expect(members).to_contain_text("柯母")
    # The member table's widest cell, the member change of an enrolled family, is still reachable ...
    expect(members.get_by_role("link", name="办理成员变更（动态调整）").first).to_be_attached()
    # ... by scrolling the table, not the page.
    assert _page_width(page) <= 390
    assert page.evaluate(
        "(() => { const box = document.querySelector('table.members').parentElement;"
        " return getComputedStyle(box).overflowX === 'auto' && box.scrollWidth > box.clientWidth; })()"
    )


def test_check_plans_page_fits_a_phone(page: Page, live_server, world):
    _enrolled_family(world)
    reviewer = world.users["civil_affairs_reviewer"]
    check_plan_create(
        year=2027, mode="all", due_on=timezone.localdate() + timedelta(days=30), acting_user=reviewer
    )
    half_yearly_check_run(period="2027-01")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "mz")
    page.goto(f"{live_server.url}/monitoring/checks/plans/")
    expect(page.locator("table.check-plans")).to_contain_text("2027年度")
    expect(page.locator("table.central-runs")).to_contain_text("2027-01")
    assert _page_width(page) <= 390


def test_the_public_long_term_list_names_each_value_on_a_phone(page: Page, live_server, world):
    """On a phone the list's rows become cards without the header row; each value says what it is."""
    household, _mother = _enrolled_family(world)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/public/villages/{household.village.code}/")
    cells = page.locator("tbody tr").first.locator("td")
    labels = [
        cells.nth(i).evaluate("td => getComputedStyle(td, '::before').content") for i in range(cells.count())
    ]
    assert labels == ['"村(居)："', '"户主/申请人："', '"类别："', '"家庭人口："', '"纳入时间："']
    assert _page_width(page) <= 390


def test_the_household_list_fits_a_phone(page: Page, live_server, world):
    """The list's eight columns scroll sideways inside their box; the search form and pager stay put."""
    household, _mother = _enrolled_family(world)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/households/")
    expect(page.locator("table.grid")).to_contain_text(household.household_number)
    assert _page_width(page) <= 390
    assert page.evaluate(
        "(() => { const box = document.querySelector('table.grid').parentElement;"
        " return getComputedStyle(box).overflowX === 'auto' && box.scrollWidth > box.clientWidth; })()"
    )
