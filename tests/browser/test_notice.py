"""A village posts a notice, records an objection, and the town clerk finds the case back in investigation."""

import pytest
from playwright.sync_api import Page, expect

from applications.glossary import Stage

from ..applications.cases import accept, advance
from .test_case import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_village_posts_a_notice_records_an_objection_and_the_case_returns_to_the_clerk(
    page: Page, live_server, world
):
    application = advance(world, accept(world), Stage.PUBLICIZING)
    base = live_server.url

    login(page, base, "village_a1")
    page.get_by_role("link", name="公示", exact=True).click()
    expect(page.get_by_role("heading", name="东湖村 · 待公示的案件（1）")).to_be_visible()
    page.get_by_role("link", name="编排公示").click()
    page.get_by_role("button", name="保存为待张贴").click()
    expect(page.locator(".errorbox")).to_be_visible()  # nothing chosen: told, nothing saved
    page.get_by_label(f"{application.case_number} 柯大山").check()
    page.get_by_role("button", name="保存为待张贴").click()
    page.get_by_role("button", name="张贴公示").click()
    expect(page.get_by_text("已张贴，公示期开始。")).to_be_visible()
    page.get_by_role("button", name="公示期满，结束公示").click()
    expect(page.get_by_text("公示期未满：")).to_be_visible()  # it cannot close early

    page.get_by_role("link", name="登记异议").click()
    page.get_by_label("反映方式").select_option(label="电话")
    page.get_by_label("反映内容").fill("反映申请人家有一辆小轿车。")
    page.get_by_role("button", name="登记异议").click()
    expect(page.get_by_text(f"已登记异议，案件 {application.case_number} 退回镇里重新调查。")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=application.case_number)
    expect(row).to_contain_text("有异议，重新调查")
    expect(row).to_contain_text("匿名")

    login(page, base, "clerk_a")
    page.get_by_role("link", name="案件", exact=True).click()
    case_row = page.get_by_role("row").filter(has_text=application.case_number)
    expect(case_row).to_contain_text("调查")
    case_row.get_by_role("link", name=application.case_number).click()
    expect(page.locator("h1 .tag")).to_have_text("调查")
    expect(page.locator("ol.timeline")).to_contain_text("公示期间有异议：反映申请人家有一辆小轿车。")
    expect(page.get_by_role("link", name="完成调查")).to_be_visible()
