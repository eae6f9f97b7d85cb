"""Dates are typed 年-月-日 in a Chromium whose language is English (issue 17.2), and every date box shows
the period in use (issue 23.1): no mm/dd/yyyy, no box left empty while a report covers a period."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from ..desk.pilot import Pilot, build_pilot
from .conftest import ARTIFACTS, menu
from .test_case import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def pilot(world) -> Pilot:  # type: ignore[no-untyped-def]
    return build_pilot(world)


@pytest.fixture
def english_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_period_boxes_show_the_period_and_take_chinese_dates(
    english_page: Page, live_server, pilot: Pilot
) -> None:
    page = english_page
    today = timezone.localdate()
    year_start = f"{today.year}-01-01"
    login(page, live_server.url, "mz")
    page.goto(f"{live_server.url}/desk/dashboard/")
    expect(page.get_by_label("起始日期")).to_have_value(year_start)
    expect(page.get_by_label("截止日期")).to_have_value(today.isoformat())
    assert page.get_by_label("起始日期").get_attribute("placeholder") == "年-月-日，如 2026-10-05"
    assert "mm/dd/yyyy" not in page.content().lower()

    menu(page, "试点评估")
    start, end = page.get_by_label("起始日期"), page.get_by_label("截止日期")
    expect(start).to_have_value(year_start)
    expect(end).to_have_value(today.isoformat())
    start.fill("2025年7月1日")
    end.fill("2025/12/31")
    page.get_by_role("button", name="生成").click()
    expect(page.get_by_role("heading", name="大冶市（全市）：2025年7月1日至2025年12月31日")).to_be_visible()
    expect(page.get_by_label("起始日期")).to_have_value("2025-07-01")

    # The calendar: a tap in the box opens it on the box's month, a day writes the date.
    page.get_by_label("截止日期").click()
    calendar = page.get_by_role("dialog", name="选择日期")
    expect(calendar).to_contain_text("2025年12月")
    calendar.get_by_role("button", name="15", exact=True).click()
    expect(page.get_by_label("截止日期")).to_have_value("2025-12-15")
    expect(calendar).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.get_by_label("起始日期").click()
    page.screenshot(path=str(ARTIFACTS / "date-entry-calendar.png"))
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="选择日期")).to_have_count(0)

    # Anything else is refused with a Chinese message, and the typed text stays in the box.
    page.get_by_label("起始日期").fill("07/01/2025")
    page.get_by_role("button", name="生成").click()
    expect(page.get_by_text("输入一个有效的日期。")).to_be_visible()
    expect(page.get_by_label("起始日期")).to_have_value("07/01/2025")
