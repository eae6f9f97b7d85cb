"""A death warning walked in the browser (DESIGN §3.6, §3.7): the town clerk sees the death's date and
certificate prefilled from the shared row, chooses 重新调查, and lands on the warning with its adjustment
case, whose page names the warning as its source. Screens at 1366×768 and 390×844."""

import io
import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from households.models import Enrollment
from monitoring.models import Warning
from monitoring.services.imports import dataset_import_now
from tests.monitoring.conftest import csv_bytes

from .conftest import ARTIFACTS
from .test_case import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("WIRE_SHOTS", str(ARTIFACTS / "shots-wire")))


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_the_clerk_turns_a_death_warning_into_an_adjustment(page: Page, live_server, world) -> None:
    from accounts.models import OrgUnit
    from accounts.orgs import ensure_base_org_units

    ensure_base_org_units()
    household = world.household_a1
    Enrollment.objects.create(household=household, category="dibao", start_date=date(2025, 1, 1))
    member = household.members.get()
    dataset_import_now(
        dataset_key="death",
        period="2026-01",
        binary=io.BytesIO(
            csv_bytes([{"id_number": member.id_number, "name": member.name, "died_on": "2026-01-02"}])
        ),
        file_name="death.csv",
        department=OrgUnit.objects.get(code="WJJ"),
    )
    warning = Warning.objects.get()
    login(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/monitoring/warnings/{warning.pk}/")
    expect(page.get_by_label("死亡日期")).to_have_value("2026-01-02")
    expect(page.get_by_label("证明材料")).to_have_value("死亡医学证明（市卫健局共享数据 2026-01 第2行）")
    page.get_by_label("处理方式").select_option("reinvestigation")
    page.get_by_label("处理情况").fill("入户核实，柯大山已于1月2日去世")
    _shot(page, "warning-death-form")
    page.get_by_role("button", name="反馈处理情况").click()
    expect(page.get_by_text("已启动动态调整案件").first).to_be_visible()
    warning.refresh_from_db()
    assert warning.adjustment is not None
    _shot(page, "warning-death-handled")
    page.get_by_role("link", name=warning.adjustment.case_number).click()
    expect(page.locator("p.source")).to_contain_text("来源：死亡预警（")
    expect(page.get_by_role("link", name="死亡预警（", exact=False)).to_be_visible()
    _shot(page, "case-from-warning")
