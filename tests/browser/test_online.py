"""Issue 20's walk in the browser: a family applies on a phone (390×844) with a photo and gets its receipt;
the town clerk, at 1366×768, accepts the application from the workbench; the family's progress page then
says 已受理."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from ..evidence import files
from ..online.forms import APPLICANT_ID, SPOUSE_ID
from .conftest import ARTIFACTS
from .test_households import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _new_page(browser: Browser, width: int, height: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=width < 768
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.evaluate("window.innerWidth")
    assert width <= screen, f"page is {width}px wide on a {screen}px screen"


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"online-{name}.png"), full_page=True)


def test_a_family_applies_on_a_phone_and_the_clerk_accepts(browser: Browser, live_server, world, tmp_path):
    cache.clear()
    photo = tmp_path / "身份证.jpg"
    photo.write_bytes(files.jpeg(name="身份证.jpg").read())
    phone = _new_page(browser, 390, 844)
    desk = _new_page(browser, 1366, 768)
    try:
        phone.goto(f"{live_server.url}/public/apply/")
        expect(phone.get_by_role("heading", name="网上申请救助帮扶")).to_be_visible()
        _no_sideways_scroll(phone)
        phone.get_by_label("户籍所在村(居)").select_option(label="东湖村")
        phone.get_by_label("联系电话").fill("13907140001")
        first = phone.locator("#member-1")
        first.get_by_label("姓名").fill("柯秋生")
        first.get_by_label("身份证号码").fill(APPLICANT_ID)
        first.get_by_label("劳动能力").select_option(label="无劳动能力")
        first.get_by_label("近12个月收入（元）").fill("3600")
        second = phone.locator("#member-2")
        second.get_by_label("姓名").fill("王桂兰")
        second.get_by_label("身份证号码").fill(SPOUSE_ID)
        second.get_by_label("与申请人关系").select_option(label="配偶")
        second.get_by_label("劳动能力").select_option(label="无劳动能力")
        second.get_by_label("患重病").check()
        phone.get_by_label("家庭困难情况").fill("老伴患病住院，家中无劳动力。")
        phone.get_by_label("不清楚，请帮我判断").check()
        phone.locator("input[name=doc_id_card]").set_input_files(str(photo))
        phone.get_by_label("本人承诺").check()
        phone.get_by_label("承诺人签名（请输入申请人姓名）").fill("柯秋生")
        phone.get_by_role("button", name="提交申请").click()

        expect(phone.get_by_role("heading", name="申请已提交")).to_be_visible()
        number = phone.locator("#receipt-number").inner_text().strip()
        code = phone.locator("#receipt-code").inner_text().strip()
        assert len(code) == 6
        expect(phone.locator("#receipt")).to_contain_text("1 个文件")
        _no_sideways_scroll(phone)
        _shot(phone, "receipt-390")

        login(desk, live_server.url, "clerk_a")
        desk.goto(f"{live_server.url}/cases/")
        inbox = desk.locator("#online-inbox")
        expect(inbox).to_contain_text("待受理的线上申请（1）")
        desk.get_by_role("link", name=number).first.click()
        expect(desk.locator("#typed")).to_contain_text("王桂兰")
        expect(desk.locator("#hint")).to_contain_text("自助测算参考")
        thumb = desk.locator("#typed img")
        expect(thumb).to_have_count(1)
        desk.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
        _shot(desk, "detail-1366")
        desk.get_by_role("link", name="登记为新家庭并受理").click()
        expect(desk.get_by_label("姓名").first).to_have_value("柯秋生")
        desk.get_by_label("家庭住址").fill("东湖村三组12号")
        _shot(desk, "accept-1366")
        desk.get_by_role("button", name="确认登记并受理").click()
        expect(desk.get_by_text("已登记家庭并受理，案件编号")).to_be_visible()
        _shot(desk, "case-1366")

        phone.goto(f"{live_server.url}/public/progress/")
        phone.get_by_label("申请编号").fill(number)
        phone.get_by_label("查询码").fill(code.lower())
        phone.get_by_role("button", name="查询").click()
        expect(phone.locator("#stage-label")).to_have_text("已受理")
        expect(phone.locator("#progress-result")).to_contain_text("预计办结期限")
        _no_sideways_scroll(phone)
        _shot(phone, "progress-390")
    finally:
        phone.context.close()
        desk.context.close()
