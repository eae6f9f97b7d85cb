"""The top menu at a clerk's 1366×768 and on a phone (issue 17.1): grouped, so that no label wraps (it
broke one character a line with fourteen entries), every entry a role may use one open group away, by
mouse, keyboard and touch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from ..factories import PASSWORD
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROLES = ("clerk_a", "agri_a", "village_a1", "mz", "ny", "dept", "it_admin")


def _sign_in(page: Page, base: str, username: str) -> None:
    # Leave the page first: a late response of it (a lazily loaded thumbnail) must not set the last
    # user's session cookie again after it is cleared.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="您好")).to_be_visible()


def _one_line(page: Page, selector: str) -> list[str]:
    """The labels under `selector` whose text takes more than one line."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((el) => {
            const range = document.createRange(); range.selectNodeContents(el);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            return lines.size > 1;
        }).map((el) => el.textContent.trim())""",
        selector,
    )


def test_no_menu_label_wraps_at_1366_and_every_entry_is_reachable(
    browser: Browser, live_server, world
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for username in ROLES:
            _sign_in(page, live_server.url, username)
            nav = page.locator("nav.mainnav")
            assert _one_line(page, "nav.mainnav > a, nav.mainnav summary") == [], username
            assert nav.locator("summary").count() >= 1
            height = nav.bounding_box()
            assert height is not None
            assert height["height"] < 60, f"{username}: the menu takes {height['height']}px"
            for group in nav.locator("details.menu").all():
                group.locator("summary").click()
                links = group.locator(".menu-items a")
                assert links.count() >= 1
                for link in links.all():
                    expect(link).to_be_visible()
                assert _one_line(page, "nav.mainnav details[open] .menu-items a") == [], username
                page.keyboard.press("Escape")
                expect(group.locator(".menu-items")).to_be_hidden()
            if username == "clerk_a":
                page.locator("nav.mainnav summary", has_text="案件与公示").click()
                page.screenshot(path=str(ARTIFACTS / "menu-1366-clerk.png"))
                # One group open at a time; a click elsewhere closes it.
                page.locator("nav.mainnav summary", has_text="监测").click()
                expect(page.locator("nav.mainnav details[open]")).to_have_count(1)
                page.get_by_role("heading", name="您好").click()
                expect(page.locator("nav.mainnav details[open]")).to_have_count(0)
                # By keyboard: a group's name takes the focus and opens with Enter.
                summary = page.locator("nav.mainnav summary", has_text="家庭与帮扶")
                summary.focus()
                page.keyboard.press("Enter")
                expect(page.locator("nav.mainnav").get_by_role("link", name="家庭档案")).to_be_visible()
                page.keyboard.press("Escape")
                expect(summary).to_be_focused()
    finally:
        context.close()


def test_on_a_phone_an_entry_is_one_tap_away(browser: Browser, live_server, world) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, live_server.url, "village_a1")
        page.locator("nav.mainnav summary", has_text="监测").tap()
        visits = page.locator("nav.mainnav").get_by_role("link", name="巡访")
        expect(visits).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "menu-390-village.png"))
        visits.tap()
        expect(page.get_by_role("heading", name="应巡访家庭")).to_be_visible()
    finally:
        context.close()
