"""A town clerk adds documents on the household page, at a clerk's screen and on a phone (DESIGN §3.11)."""

import pytest
from playwright.sync_api import Browser, expect

from tests.evidence import files

from .conftest import ARTIFACTS
from .test_households import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["desk", "phone"])
def test_clerk_uploads_two_files_and_sees_them(browser: Browser, live_server, world, tmp_path, viewport):
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    photo, scan = tmp_path / "户口簿.jpg", tmp_path / "假的.jpg"
    photo.write_bytes(files.jpeg(gps=True).read())
    scan.write_bytes(files.script_as_jpg().read())
    login(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/households/{world.household_a1.pk}/")
    section = page.locator("#documents")
    expect(section).to_contain_text("还没有上传材料。")
    # The checklist item is asked for only for a document of kind "other".
    item = section.get_by_label("对应清单项（其他材料）")
    expect(item).to_be_hidden()
    section.get_by_label("材料类别").select_option(label="其他材料")
    expect(item).to_be_visible()
    section.get_by_label("材料类别").select_option(label="户口簿")
    expect(item).to_be_hidden()
    section.get_by_label("文件").set_input_files([str(photo), str(scan)])
    section.get_by_role("button", name="上传").click()
    expect(page.get_by_text("已上传 1 个文件。")).to_be_visible()
    expect(page.get_by_text("「假的.jpg」文件类型不符")).to_be_visible()
    row = page.locator("#documents tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("户口簿")
    expect(row.locator("img.thumb")).to_be_visible()
    expect(row).not_to_contain_text("位置")  # an ID document keeps no location
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#documents").screenshot(path=str(ARTIFACTS / f"documents-{width}.png"))
    context.close()


def test_a_large_upload_shows_its_progress_and_then_the_page_with_its_message(
    browser: Browser, live_server, world, tmp_path
):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    big = tmp_path / "收入证明.pdf"
    big.write_bytes(files.big_pdf(megabytes=3))
    login(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/households/{world.household_a1.pk}/")
    section = page.locator("#documents")
    section.get_by_label("材料类别").select_option(label="收入证明")
    section.get_by_label("文件").set_input_files(str(big))
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr") as sent:
        section.get_by_role("button", name="上传").click()
    assert "/documents/households/" in sent.value.url
    expect(page.get_by_text("已上传 1 个文件。")).to_be_visible()
    assert page.url.endswith(f"/households/{world.household_a1.pk}/")
    expect(page.locator("#documents tbody tr")).to_have_count(1)
    expect(page.locator("#documents tbody tr")).to_contain_text("收入证明")
    context.close()
