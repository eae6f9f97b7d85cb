"""Issue 21 in the browser: a city reviewer is sent to set up two-factor sign-in before any page and does
so with the code of an authenticator (at 1366×768 and on a phone); the administrator reads the journal and
the accounts; the household page shows who looked at the family."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from ..factories import PASSWORD
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _new_page(browser: Browser, width: int, height: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=width < 768
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_a_reviewer_sets_up_two_factors_before_any_page(
    browser: Browser, live_server, world, settings, width, height
):
    settings.TWO_FACTOR_ENFORCED = True
    page = _new_page(browser, width, height)
    try:
        _sign_in(page, live_server.url, "mz")
        expect(page.get_by_role("heading", name="启用两步验证")).to_be_visible()
        expect(page.locator("#two-factor-qr svg")).to_be_visible()
        _no_sideways_scroll(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"two-factor-setup-{width}.png"), full_page=True)
        device = TOTPDevice.objects.get(user=world.users["civil_affairs_reviewer"], confirmed=False)
        page.get_by_label("验证码").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="确认启用").click()
        expect(page.get_by_role("heading", name="两步验证已启用")).to_be_visible()
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        page.get_by_role("link", name="我已保存，进入系统").click()
        expect(page.get_by_role("heading", name="您好")).to_be_visible()
    finally:
        page.context.close()


def test_the_administrator_reads_the_journal_and_the_accounts(browser: Browser, live_server, world):
    clerk = _new_page(browser, 1366, 768)
    admin = _new_page(browser, 1366, 768)
    try:
        _sign_in(clerk, live_server.url, "clerk_a")
        clerk.goto(f"{live_server.url}/households/{world.household_a1.pk}/")
        clerk.reload()  # a view is journaled after its page is sent: the second one shows the first
        readers = clerk.locator("#household-readers")
        expect(readers).to_contain_text("clerk_a")
        expect(readers).to_contain_text("查看家庭档案")
        _sign_in(admin, live_server.url, "it_admin")
        admin.goto(f"{live_server.url}/audit/")
        expect(admin.get_by_role("heading", name="访问留痕")).to_be_visible()
        table = admin.locator("#journal-table")
        expect(table).to_contain_text("查看家庭档案")
        expect(table).to_contain_text(world.household_a1.household_number)
        admin.screenshot(path=str(ARTIFACTS / "journal-1366.png"), full_page=True)
        admin.get_by_label("操作").select_option(label="登录")
        admin.get_by_role("button", name="查询").click()
        expect(table).not_to_contain_text("查看家庭档案")
        expect(table).to_contain_text("clerk_a")
        admin.goto(f"{live_server.url}/audit/users/")
        expect(admin.locator("#users-table")).to_contain_text("clerk_a")
        admin.screenshot(path=str(ARTIFACTS / "users-1366.png"), full_page=True)
    finally:
        clerk.context.close()
        admin.context.close()
