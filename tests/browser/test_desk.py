"""Each role opens its home page and follows a to-do count to the list behind it; a reviewer reads the
dashboard and follows a figure to its list."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ..desk.conftest import figures  # noqa: F401 - the fixtures of the desk tests
from ..desk.test_todo import work  # noqa: F401
from ..factories import PASSWORD
from .conftest import menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Set DESK_SHOTS to a folder to keep screenshots at 1366×768 and 390×844 for a look by eye.
SHOTS = os.environ.get("DESK_SHOTS")


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="您好")).to_be_visible()


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.mark.parametrize(
    ("username", "key", "label", "rows"),
    [
        ("clerk_a", "inbox", "待受理的申请（村转报、线上申请）", 1),
        ("agri_a", "town_warnings_overdue", "本镇已超期的预警", 1),
        ("taskforce_a", "to_deliberate", "待集体研判的案件", 1),
        ("village_a1", "notices_to_post", "待张贴的公示", 1),
        ("mz", "filings_pending", "待确认的备案", 1),
        ("ny", "filings_pending", "待确认的备案", 2),
        ("dept", "department_warnings", "推送本部门待处理的预警", 1),
    ],
)
def test_a_role_follows_a_count_on_its_home_page_to_its_list(
    page: Page,
    live_server,
    work,  # noqa: F811 - the fixture imported above
    username: str,
    key: str,
    label: str,
    rows: int,
) -> None:
    base = live_server.url
    login(page, base, username)
    link = page.locator(f'[data-todo="{key}"]')
    expect(link.locator(".todo-count")).to_have_text(str(rows))
    shoot(page, f"home-{username}")
    link.click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()
    expect(page.get_by_text(f"共 {rows} 条")).to_be_visible()
    expect(page.locator("tr.desk-row")).to_have_count(rows)
    shoot(page, f"list-{username}-{key}")
    # Each row leads to the thing to work on.
    page.locator("tr.desk-row").first.get_by_role("link", name="查看办理").click()
    expect(page.get_by_role("heading").first).to_be_visible()


def test_a_reviewer_reads_the_dashboard_and_follows_a_figure(page: Page, live_server, work) -> None:  # noqa: F811
    base = live_server.url
    login(page, base, "mz")
    menu(page, "统计看板")
    expect(page.get_by_role("heading", name="统计看板 · 全市")).to_be_visible()
    page.get_by_label("起始日期").fill("2025-09-01")
    page.get_by_label("截止日期").fill("2026-01-31")
    page.get_by_role("button", name="查看").click()
    # Charts drawn by the app's own ECharts (SVG), each beside its table.
    expect(page.locator('[data-chart="categories"] svg')).to_be_visible()
    # Five decided (two of the figures, three approved by the work fixture), one of them late.
    expect(page.locator("#timeliness")).to_contain_text("80.0%")
    expect(page.locator("#late-cases")).to_contain_text(work.late.case_number)
    shoot(page, "dashboard-mz")
    page.locator('[data-stage="accepted"] a').first.click()
    expect(page.get_by_role("heading", name="办理中的案件")).to_be_visible()
    expect(page.locator("tr.desk-row")).to_have_count(1)
    # The town filter: 还地桥镇 only.
    page.goto(f"{base}/desk/dashboard/?town={work.world.town_a.pk}")
    expect(page.get_by_role("heading", name="统计看板 · 还地桥镇")).to_be_visible()
    # household_a1 and the three households the work fixture approved (低保 + monitoring).
    expect(page.locator('[data-category="monitoring"] a')).to_have_text("4")
    page.locator('[data-category="monitoring"] a').click()
    expect(page.get_by_text("共 4 户")).to_be_visible()
