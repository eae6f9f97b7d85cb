"""Photos whose time and place are the evidence (DESIGN §3.11), in the browser: a village worker sends a
visit's photo with the visit form on a phone, and photographs a posted notice on the village board, at a
desk's screen and on a phone; each sees the thumbnail load with the place it was taken."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from applications.glossary import Stage
from publicity import services as notices

from ..applications.cases import accept, advance
from ..evidence import files
from ..factories import MemberFactory
from .test_households import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ITEMS = ("吃不愁", "穿不愁", "义务教育保障", "基本医疗保障", "住房安全保障", "饮水安全")


def _new_page(browser: Browser, width: int, height: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=width < 768
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _photo_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(files.jpeg(gps=True, name=name).read())
    return path


def _thumbnail_loaded(page: Page, thumb: Locator) -> None:
    """The thumbnail is lazy: brought on screen as the user scrolls to it, it must actually load."""
    thumb.scroll_into_view_if_needed()
    expect(thumb).to_be_visible()
    page.wait_for_function("img => img.complete", arg=thumb.element_handle())
    width = thumb.evaluate("img => img.naturalWidth")
    assert width > 0, f"the thumbnail {thumb.get_attribute('src')} did not load"


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.evaluate("window.innerWidth")
    assert width <= screen, f"page is {width}px wide on a {screen}px screen"


def test_village_staff_sends_a_visit_photo_from_a_phone(browser: Browser, live_server, world, tmp_path):
    page = _new_page(browser, 390, 844)
    try:
        photo = _photo_file(tmp_path, "IMG_1.jpg")
        login(page, live_server.url, "village_a1")
        page.goto(f"{live_server.url}/monitoring/households/{world.household_a1.pk}/visits/new/")
        expect(page.get_by_role("heading", name="录入巡访")).to_be_visible()
        page.get_by_label("入户").check()
        page.get_by_label("巡访人员").fill("柯主任")
        for item in ITEMS:
            page.get_by_role("group", name=item).get_by_label("有保障", exact=True).check()
        camera = page.locator("input[name=photo]")
        expect(camera).to_have_attribute("accept", "image/*")
        expect(camera).to_have_attribute("capture", "environment")
        camera.set_input_files(str(photo))
        page.get_by_role("button", name="保存巡访记录").click()

        expect(page.get_by_text("已保存 1 张走访照片。")).to_be_visible()
        photos = page.locator("#photos")
        expect(photos.get_by_role("heading", name="走访照片")).to_be_visible()
        thumb = photos.locator("img.thumb")
        expect(thumb).to_have_count(1)
        _thumbnail_loaded(page, thumb)
        expect(photos).to_contain_text("位置 ")
        shot = tmp_path / "visit-photo-390.png"
        page.screenshot(path=str(shot), full_page=True)
        _no_sideways_scroll(page)
    finally:
        page.context.close()


def _posted_notice(world):  # type: ignore[no-untyped-def]
    """Two cases of 东湖村 on one notice, posted on the board."""
    first = advance(world, accept(world), Stage.PUBLICIZING)
    other = world.household_a1.__class__.objects.create(
        household_number="420281104201-0002", village=world.village_a1, address="东湖村2组"
    )
    MemberFactory(household=other, name="柯二妹")
    second = advance(world, accept(world, household=other), Stage.PUBLICIZING)
    notice = notices.notice_create(
        village=world.village_a1, applications=[first, second], acting_user=world.users["village_staff"]
    )
    notices.notice_post(notice=notice, acting_user=world.users["village_staff"])
    return notice


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["desk", "phone"])
def test_village_staff_photographs_the_posted_notice(
    browser: Browser, live_server, world, tmp_path, viewport
):
    notice = _posted_notice(world)
    width, height = viewport
    page = _new_page(browser, width, height)
    try:
        photo = _photo_file(tmp_path, "公示栏.jpg")
        login(page, live_server.url, "village_a1")
        page.goto(f"{live_server.url}/notices/{notice.pk}/")
        upload = page.locator('form[action$="/photo/"]')
        board = upload.locator("input[type=file]")
        expect(board).to_have_attribute("accept", "image/*")
        expect(board).to_have_attribute("capture", "environment")
        board.set_input_files(str(photo))
        upload.get_by_role("button", name="上传照片").click()

        expect(page.get_by_text("存入 2 个案件的材料")).to_be_visible()
        photos = page.locator("#photos")
        thumb = photos.locator("img.thumb")
        expect(thumb).to_have_count(1)  # one photo, though each case keeps a copy
        _thumbnail_loaded(page, thumb)
        expect(photos).to_contain_text("位置 ")
        shot = tmp_path / f"notice-photo-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        _no_sideways_scroll(page)
    finally:
        page.context.close()
