"""A town clerk on a phone grants temporary assistance from the household page and explains it later from
the list of those still lacking an explanation (DESIGN §3.8)."""

import pytest
from playwright.sync_api import Browser, expect

from .conftest import menu
from .test_households import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_clerk_grants_temporary_assistance_then_explains_it(browser: Browser, live_server, world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    household = world.household_a1
    login(page, base, "clerk_a")
    page.goto(f"{base}/households/{household.pk}/")
    section = page.locator("#assistance")
    expect(section).to_contain_text("医疗救助比例")
    section.get_by_role("link", name="登记临时救助").click()
    applicant = household.members.get(relation="applicant")
    page.get_by_label("救助对象").select_option(label=f"柯大山（申请人，{applicant.masked_id_number}）")
    page.get_by_label("救助日期").fill("2026-02-03")
    page.get_by_label("金额(元)").fill("800")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_reason-error")).to_have_text("请写明救助事由。")
    page.get_by_label("救助事由").fill("房屋失火，急需生活用品")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记临时救助 800.00 元")).to_be_visible()
    expect(section).to_contain_text("2026年 · 合计 800.00 元")
    expect(section).to_contain_text("待补充说明")

    menu(page, "救助帮扶")
    page.get_by_role("link", name="临时救助待补充说明").click()
    expect(page.get_by_text("共 1 笔尚未补充说明")).to_be_visible()
    page.get_by_role("row").filter(has_text="房屋失火").get_by_role("link", name="补充说明").click()
    page.get_by_label("事后情况说明").fill("经核实，已纳入受灾人员救助。")
    page.get_by_role("button", name="保存说明").click()
    expect(page.get_by_text("已补充情况说明。")).to_be_visible()
    expect(page.locator("#assistance")).to_contain_text("说明：经核实，已纳入受灾人员救助。")
    expect(page.locator("#assistance")).not_to_contain_text("待补充说明")
    context.close()


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["desk", "phone"])
def test_clerk_corrects_an_amount_entered_wrong(browser: Browser, live_server, world, viewport):
    """Issue 17.8: a hand entry is corrected in place, with a reason that the history keeps."""
    from datetime import date
    from decimal import Decimal

    from households.services.assistance import assistance_record_create

    household = world.household_a1
    applicant = household.members.get(relation="applicant")
    assistance_record_create(
        household=household,
        member=applicant,
        kind="education",
        received_on=date(2026, 3, 2),
        amount=Decimal(500),
        note="春季学期助学金",
        acting_user=world.users["town_clerk"],
    )
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    login(page, base, "clerk_a")
    page.goto(f"{base}/households/{household.pk}/")
    section = page.locator("#assistance")
    section.get_by_role("row").filter(has_text="春季学期助学金").get_by_role("link", name="更正").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("更正救助记录")
    expect(page.get_by_label("金额(元)")).to_have_value("500.00")
    page.get_by_label("金额(元)").fill("1500")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_correction_reason-error")).to_have_text("请写明更正原因。")
    page.get_by_label("更正原因").fill("金额以学校发放清单为准")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已更正")).to_be_visible()
    expect(section).to_contain_text("1500.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"test-artifacts/assistance-corrected-{width}.png", full_page=True)
    page.goto(f"{base}/households/{household.pk}/history/")
    expect(page.locator("main")).to_contain_text("更正：金额以学校发放清单为准")
    context.close()
