"""A village worker records a visit on a phone (390 × 844): the due list, the form, the warning it raises."""

import re
from datetime import date

import pytest
from playwright.sync_api import Browser, expect

from households.models import Enrollment
from monitoring.models import Warning

from ..factories import PASSWORD
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_village_staff_records_a_visit_on_a_phone(browser: Browser, live_server, world) -> None:  # type: ignore[no-untyped-def]
    Enrollment.objects.create(household=world.household_a1, category="dibao", start_date=date(2025, 1, 1))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        base = live_server.url
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill("village_a1")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="您好")).to_be_visible()

        page.goto(f"{base}/monitoring/visits/")
        expect(page.get_by_role("heading", name="应巡访家庭")).to_be_visible()
        expect(page.get_by_role("cell", name="逾期未巡访")).to_be_visible()
        page.get_by_role("link", name="录入巡访").click()
        expect(page.get_by_role("heading", name="录入巡访")).to_be_visible()

        def no_sideways_scroll() -> None:
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"page is {width}px wide on a 390px phone"

        no_sideways_scroll()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "visit-phone-form.png"), full_page=True)
        page.get_by_label("入户").check()
        page.get_by_label("巡访人员").fill("柯主任、王会计")
        for item in ("吃不愁", "穿不愁", "义务教育保障", "基本医疗保障", "饮水安全"):
            page.get_by_role("group", name=item).get_by_label("有保障", exact=True).check()
        page.get_by_role("group", name="住房安全保障").get_by_label("无保障").check()
        page.get_by_role("button", name="保存巡访记录").click()
        expect(page.locator("#id_housing_note-error")).to_have_text("“住房安全保障”无保障，请说明具体情况。")
        no_sideways_scroll()
        page.get_by_label("住房安全保障说明").fill("屋顶漏雨")
        page.get_by_role("button", name="保存巡访记录").click()
        expect(page.get_by_text("已保存巡访记录。住房安全保障无保障，已向镇里发出巡访预警。")).to_be_visible()
        expect(page.get_by_text("无保障：屋顶漏雨")).to_be_visible()
        no_sideways_scroll()
        assert Warning.objects.get().type == "visit_concern"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "visit-phone-detail.png"), full_page=True)
    finally:
        context.close()


def test_the_visit_list_is_one_card_per_household_on_a_phone_and_names_the_head(
    browser: Browser, live_server, world
) -> None:  # type: ignore[no-untyped-def]
    """Issue 23.5: at 390 px each household is a card with its head, village group, due date and the
    action, with nothing to scroll sideways; at 1366 px the row names the head too."""
    household = world.household_a1
    household.address = "东湖村3组12号"
    household.save(update_fields=["address"])
    Enrollment.objects.create(household=household, category="dibao", start_date=date(2025, 1, 1))
    head = household.members.get(relation="applicant").name
    for width, height in ((390, 844), (1366, 768)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("用户名").fill("village_a1")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.goto(f"{live_server.url}/monitoring/visits/")
            row = page.locator("#visit-list tbody tr").first
            expect(row.locator("td.head")).to_have_text(head)
            expect(row).to_contain_text("3组")
            expect(row.locator("td.due")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
            expect(row.get_by_role("link", name="录入巡访")).to_be_visible()
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width
            if width == 390:  # a card: the cells stacked, the due date and the action inside the screen
                box, action = row.bounding_box(), row.get_by_role("link", name="录入巡访").bounding_box()
                assert box is not None
                assert action is not None
                assert box["x"] + box["width"] <= 390
                assert action["x"] + action["width"] <= 390
                expect(page.locator("#visit-list thead")).to_be_hidden()
            page.screenshot(path=str(ARTIFACTS / f"visit-list-{width}.png"), full_page=True)
        finally:
            context.close()
