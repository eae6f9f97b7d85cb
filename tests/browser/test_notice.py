"""A village composes, edits, deletes and posts a notice, records an objection, and the town clerk finds the
case back in investigation with the objection on its page; the public reads masked names."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from applications.glossary import Stage
from publicity.models import Notice

from ..applications.cases import accept, advance
from ..factories import MemberFactory
from .conftest import ARTIFACTS, menu
from .test_case import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"notice-{name}.png"), full_page=True)


def test_village_posts_a_notice_records_an_objection_and_the_case_returns_to_the_clerk(
    page: Page, live_server, world
):
    application = advance(world, accept(world), Stage.PUBLICIZING)
    other = world.household_a1.__class__.objects.create(
        household_number="420281104201-0002", village=world.village_a1, address="东湖村2组"
    )
    MemberFactory(household=other, name="柯二妹")
    second = advance(world, accept(world, household=other), Stage.PUBLICIZING)
    base = live_server.url

    login(page, base, "village_a1")
    menu(page, "公示")
    expect(page.get_by_role("heading", name="东湖村 · 待公示的案件（2）")).to_be_visible()
    page.get_by_role("link", name="编排公示").click()
    page.get_by_role("button", name="保存为待张贴").click()
    expect(page.locator(".errorbox")).to_be_visible()  # nothing chosen: told, nothing saved
    page.get_by_label(f"{application.case_number} 柯大山").check()
    page.get_by_role("button", name="保存为待张贴").click()
    # The draft: composed title, 待张贴, the objection phone; edited, then deleted.
    expect(page.get_by_role("heading", name="东湖村困难群众救助帮扶对象公示（待张贴）")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(world.town_a.contact_phone)
    expect(page.get_by_role("row").filter(has_text=application.case_number)).to_contain_text("待张贴")
    page.get_by_role("link", name="修改", exact=True).click()
    page.get_by_label(f"{second.case_number} 柯二妹").check()
    page.get_by_role("button", name="保存为待张贴").click()
    expect(page.get_by_text("已保存修改（待张贴）。")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=second.case_number)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="删除", exact=True).click()
    expect(page.get_by_role("heading", name="东湖村 · 待公示的案件（2）")).to_be_visible()

    page.get_by_role("link", name="编排公示").click()
    page.get_by_label(f"{application.case_number} 柯大山").check()
    page.get_by_label(f"{second.case_number} 柯二妹").check()
    page.get_by_role("button", name="保存为待张贴").click()
    shot(page, "draft-1366")
    page.get_by_role("button", name="今天张贴公示").click()
    expect(page.get_by_text("已张贴，公示期开始。")).to_be_visible()
    page.get_by_role("button", name="公示期满，结束公示").click()
    expect(page.get_by_text("公示期未满：")).to_be_visible()  # it cannot close early
    notice = Notice.objects.get(status="posted")

    page.get_by_role("row").filter(has_text=application.case_number).get_by_role(
        "link", name="登记异议"
    ).click()
    page.get_by_label("反映方式").select_option(label="电话")
    page.get_by_label("反映内容").fill("反映申请人家有一辆小轿车。")
    page.get_by_role("button", name="登记异议").click()
    expect(page.get_by_text(f"已登记异议，案件 {application.case_number} 退回镇里重新调查。")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=application.case_number)
    expect(row).to_contain_text("有异议，重新调查")
    expect(row).to_contain_text("匿名")
    shot(page, "posted-1366")

    # The public reads masked names; the case with the objection has left the notice at once.
    # Leave the page first: a late response of it (a lazily loaded thumbnail) must not set the last
    # user's session cookie again after it is cleared.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base}/public/notices/{notice.pk}/")
    expect(page.locator("table")).to_contain_text("柯*妹")
    expect(page.locator("table")).not_to_contain_text("柯*山")
    expect(page.locator("body")).not_to_contain_text("柯二妹")
    # The name on one line at 1366 px, not a character a line.
    line = page.locator("td.name").first.evaluate(
        "cell => { const r = document.createRange(); r.selectNodeContents(cell);"
        " return r.getClientRects().length; }"
    )
    assert line == 1
    shot(page, "public-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("table")).to_contain_text("柯*妹")
    shot(page, "public-390")
    page.set_viewport_size({"width": 1366, "height": 768})

    login(page, base, "clerk_a")
    menu(page, "案件")
    case_row = page.get_by_role("row").filter(has_text=application.case_number)
    expect(case_row).to_contain_text("调查")
    case_row.get_by_role("link", name=application.case_number).click()
    expect(page.locator("h1 .tag")).to_have_text("调查")
    expect(page.locator("ol.timeline")).to_contain_text("公示期间有异议：反映申请人家有一辆小轿车。")
    objections = page.locator("section.objections")
    expect(objections).to_contain_text("反映申请人家有一辆小轿车。")
    objections.get_by_label("答复内容").fill("经核实车辆已于去年转让。")
    objections.get_by_role("button", name="记录答复").click()
    expect(page.get_by_text("已记录答复。")).to_be_visible()
    expect(page.locator("section.objections")).to_contain_text("经核实车辆已于去年转让。")
    shot(page, "case-1366")
    page.get_by_role("link", name="完成调查").click()
    expect(page.locator("section.objections")).to_contain_text("反映申请人家有一辆小轿车。")
    shot(page, "reinvestigation-1366")

    # The window ran out yesterday: no more objections; the village closes the notice, the other case
    # goes to the review.
    Notice.objects.filter(pk=notice.pk).update(
        posted_on=notice.posted_on - timedelta(days=6), closes_on=notice.closes_on - timedelta(days=6)
    )
    login(page, base, "village_a1")
    page.goto(f"{base}/notices/{notice.pk}/")
    expect(page.get_by_role("link", name="登记异议")).to_have_count(0)  # the window is over
    page.get_by_role("button", name="公示期满，结束公示").click()
    expect(page.get_by_text("公示已结束，无异议的案件已转镇集体研判。")).to_be_visible()
    second.refresh_from_db()
    assert second.stage == Stage.DELIBERATING
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "closed-390")
    visitor = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN"
    ).new_page()
    response = visitor.goto(f"{base}/public/notices/{notice.pk}/")
    assert response is not None
    assert response.status == 410
    expect(visitor.get_by_role("heading", name="公示已结束")).to_be_visible()
    visitor.context.close()
