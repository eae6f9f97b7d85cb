"""An adjustment walked in the browser, from a member's death to the bureau's acknowledgement of the
filing (DESIGN §3.7): the household page's 办理成员变更 opens it, the case skips the notice (no category
is added), the task force sees the current enrollment beside the re-evaluation, and the decision ends the
deceased member's 特困 from the decision date."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.glossary import Role
from households.models import Enrollment, Income, Member
from households.services.enrollments import enrollment_start

from ..factories import MemberFactory, user_with_role, valid_id
from .test_case import login, step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _enrolled_family(world):
    """柯大山 (working age, a small farming income) and his mother, 特困 on her own; 低保 and monitoring."""
    household = world.household_a1
    head = household.members.get()
    Member.objects.filter(pk=head.pk).update(
        birth_date=date(1975, 5, 17), id_number=valid_id(date(1975, 5, 17))
    )
    Income.objects.create(member=head, kind="farming", annual_amount=Decimal("5000.00"))
    mother = MemberFactory(
        household=household,
        name="柯母",
        relation="parent",
        sex="female",
        birth_date=date(1940, 1, 1),
        id_number=valid_id(date(1940, 1, 1), male=False),
        labor_capacity="none",
    )
    clerk = world.users["town_clerk"]
    for category, member, amount in (
        ("tekun", mother, Decimal("780.00")),
        ("dibao", None, Decimal("183.00")),
        ("monitoring", None, None),
    ):
        enrollment_start(
            household=household,
            category=category,
            member=member,
            start=date(2025, 3, 1),
            monthly_amount=amount,
            acting_user=clerk,
        )
    return household, mother


def test_a_death_adjusted_from_the_household_page_to_the_bureaus_acknowledgement(
    page: Page, live_server, world
):
    base = live_server.url
    for name in ("taskforce_a2", "taskforce_a3"):
        user_with_role(Role.TASK_FORCE, world.town_a, name)
    household, mother = _enrolled_family(world)
    today = timezone.localdate()

    # The clerk learns of the death: on the enrolled household, 移出 is a member change (动态调整).
    login(page, base, "clerk_a")
    page.goto(f"{base}/households/{household.pk}/")
    row = page.get_by_role("row").filter(has_text="柯母")
    expect(row.get_by_role("button", name="移出")).to_have_count(0)
    row.get_by_role("link", name="办理成员变更（动态调整）").click()
    expect(page.get_by_role("heading", name="办理成员变更（动态调整）· 柯母")).to_be_visible()
    page.get_by_label("成员变化类型").select_option("death")
    page.get_by_label("变化发生日期").fill(today.isoformat())
    page.get_by_label("证明材料").fill("死亡医学证明 No.420281-0088")
    page.get_by_label("调整事由").fill("柯母病故，家庭人口减少。")
    page.get_by_role("button", name="立案").click()
    expect(page.get_by_text("已立案动态调整，案件编号 420281104-")).to_be_visible()
    expect(page.locator("section.adjustment")).to_contain_text("柯母（父母）死亡")
    assert not Member.objects.get(pk=mother.pk).is_active  # out of the household at once

    step(page, "启动调查")
    for checkbox in page.locator("input[name=team]").all():
        checkbox.check()
    page.get_by_role("button", name="确认启动调查").click()
    step(page, "登记核对结果")
    page.locator("#id_check_result").fill("未发现机动车和工商登记。")
    page.get_by_role("button", name="确认登记核对结果").click()
    step(page, "完成调查")
    page.get_by_label("入户调查").check()
    page.get_by_label("调查结论").fill("柯母已于近日病故，其余情况未变。")
    page.get_by_role("button", name="确认完成调查").click()
    comparison = page.locator("section.adjustment table")
    expect(comparison).to_contain_text("特困（柯母）")
    expect(comparison).to_contain_text("取消")
    # Nothing is added: no public notice, straight to the collective review.
    expect(page.get_by_role("link", name="转村(居)公示", exact=True)).to_have_count(0)
    expect(page.locator("a.button.primary")).to_have_text("转集体研判（无需公示）")
    step(page, "转集体研判（无需公示）")
    page.get_by_role("button", name="确认转集体研判（无需公示）").click()
    expect(page.locator("h1 .tag")).to_have_text("研判")

    login(page, base, "taskforce_a")
    page.goto(f"{base}/cases/")
    page.get_by_role("link", name="420281104-").first.click()
    step(page, "集体研判")
    expect(page.locator("table.adjustment")).to_contain_text("780.00元/月")
    for checkbox in page.locator("input[name=attendees]").all()[:3]:
        checkbox.check()
    page.locator("#id_reason").fill("柯母病故，自研判之日起停发其特困供养金，低保和监测不变。")
    page.get_by_role("button", name="确认集体研判").click()
    expect(page.get_by_text("已记录集体研判结果。")).to_be_visible()
    expect(page.locator("h1 .tag")).to_have_text("批准")
    outcome = page.locator("section.adjustment table")
    expect(outcome.get_by_role("row").filter(has_text="特困（柯母）")).to_contain_text("取消")
    expect(outcome.get_by_role("row").filter(has_text="低保")).to_contain_text("不变")
    tekun = Enrollment.objects.get(household=household, category="tekun")
    assert (tekun.end_date, tekun.end_reason) == (today, "death")

    login(page, base, "clerk_a")
    page.goto(f"{base}/cases/")
    page.get_by_role("link", name="420281104-").first.click()
    notice = page.get_by_role("link", name="调整决定通知书").get_attribute("href")
    response = page.request.get(f"{base}{notice}")
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    step(page, "报送备案")
    page.get_by_role("button", name="确认报送备案").click()
    expect(page.locator("h1 .tag")).to_have_text("备案")

    login(page, base, "mz")
    page.goto(f"{base}/cases/filings/civil_affairs/")
    row = page.get_by_role("row").filter(has_text="420281104-")
    expect(row).to_contain_text("特困")
    row.get_by_role("button", name="确认备案").click()
    expect(page.get_by_text("已确认备案。")).to_be_visible()

    page.goto(f"{base}/cases/")
    page.get_by_role("link", name="420281104-").first.click()
    timeline = page.locator("ol.timeline")
    for label in (
        "动态调整立案",
        "启动调查",
        "完成调查",
        "转集体研判（无需公示）",
        "集体研判：批准",
        "报送备案",
        "确认备案",
    ):
        expect(timeline).to_contain_text(label)
    # The household's page: the mother's 特困 is gone, 低保 and monitoring stay.
    login(page, base, "clerk_a")
    page.goto(f"{base}/households/{household.pk}/")
    current = page.locator("#enrollments table").first
    expect(current).not_to_contain_text("柯母")
    expect(current).to_contain_text("183.00")
    ended = page.locator("#enrollments table.ended-enrollments").get_by_role("row").filter(has_text="柯母")
    expect(ended).to_contain_text("死亡")
