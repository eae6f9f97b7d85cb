"""Risk elimination end to end: the town's task force reviews a candidate and files the decision, the
农业农村局 acknowledges, and the household's monitoring enrollment ends with 风险消除."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from households.models import Enrollment

from ..monitoring.test_risk import assess, visit
from .conftest import menu
from .test_households import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出登录").click()


def test_task_force_decides_and_the_agri_bureau_acknowledges(page: Page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    household = world.household_a1
    Enrollment.objects.create(household=household, category="monitoring", start_date=date(2024, 1, 1))
    assess(household, today - timedelta(days=200), "9000.00")
    assess(household, today - timedelta(days=1), "9100.00")
    visit(household, today - timedelta(days=10))
    base = live_server.url

    login(page, base, "taskforce_a")
    menu(page, "风险消除")
    expect(page.get_by_text("候选：收入持续稳定超过监测标准")).to_be_visible()
    page.get_by_role("link", name="录入集体研判").click()
    page.get_by_label("参加人员").fill("王镇长、李专班、赵农办")
    page.get_by_label(f"{household.household_number} 结论").select_option(label="标注风险消除")
    page.get_by_label(f"{household.household_number} 理由").fill("连续两次测算收入稳定，巡访六项有保障")
    page.get_by_role("button", name="保存研判结论").click()
    expect(page.get_by_text("已保存集体研判结论，请报市农业农村局备案。")).to_be_visible()
    page.get_by_role("button", name="报市农业农村局备案").click()
    expect(page.get_by_text("已报市农业农村局备案。")).to_be_visible()
    logout(page)

    login(page, base, "ny")
    page.goto(f"{base}/monitoring/risk/reviews/")
    page.get_by_role("link", name="还地桥镇").click()
    page.get_by_role("button", name="确认风险消除").click()
    expect(page.get_by_text("已确认风险消除，相关家庭的防返贫监测已结束。")).to_be_visible()
    expect(page.get_by_role("cell", name=today.isoformat()).first).to_be_visible()
    page.get_by_role("link", name=household.household_number).click()
    expect(page.locator("main").get_by_text("风险消除").first).to_be_visible()  # on the page, not the menu
    enrollment = Enrollment.objects.get(household=household)
    assert enrollment.end_reason == "risk_eliminated"
    assert enrollment.end_date == today
