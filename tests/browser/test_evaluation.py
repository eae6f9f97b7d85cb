"""A bureau reviewer opens the pilot evaluation from the menu, picks the half year, reads the figures and
downloads the PDF report and the XLSX the bureaus hand to the city."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ..desk.pilot import Pilot, build_pilot
from .conftest import ARTIFACTS, menu
from .test_case import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


@pytest.fixture
def pilot(world) -> Pilot:  # type: ignore[no-untyped-def]
    """The hand-counted half year of tests/desk."""
    return build_pilot(world)


def test_reviewer_downloads_the_evaluation_report(
    page: Page, live_server, pilot: Pilot, tmp_path: Path
) -> None:
    login(page, live_server.url, "mz")
    menu(page, "试点评估")
    expect(page.get_by_role("heading", name="“两项政策”衔接并轨试点评估")).to_be_visible()
    page.get_by_label("起始日期").fill("2025-07-01")
    page.get_by_label("截止日期").fill("2025-12-31")
    page.get_by_role("button", name="生成").click()
    expect(page.get_by_role("heading", name="大冶市（全市）：2025年7月1日至2025年12月31日")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="一次申请认定两个及以上类别")
    expect(row).to_contain_text("1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "evaluation-page.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "evaluation-page-phone.png"))
    page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="下载评估报告（PDF）").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.name == "pilot-evaluation-20250701-20251231.pdf"
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "“两项政策”衔接并轨试点评估报告" in text
    assert "评估范围：大冶市（全市）" in text
    assert re.search(r"受理申请\s+件\s+2\s+1", text)

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="下载数据表（XLSX）").click()
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    assert sheet["B3"].value == "2025年7月1日至2025年12月31日"
