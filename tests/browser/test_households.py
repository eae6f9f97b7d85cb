from datetime import date

import pytest
from playwright.sync_api import Page, expect

from households.models import Household

from ..factories import PASSWORD, valid_id
from .conftest import menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="您好")).to_be_visible()


def test_clerk_creates_a_household_with_two_members_and_finds_it_in_the_list(page: Page, live_server, world):
    base = live_server.url
    login(page, base, "clerk_a")
    page.get_by_role("link", name="登记新家庭").click()
    page.get_by_label("所在村(居)").select_option(label="还地桥镇 西畈村")
    page.get_by_label("户籍类型").select_option(label="农村户籍")
    page.get_by_label("家庭住址").fill("西畈村7组18号")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请继续添加家庭成员")).to_be_visible()

    # A mistyped ID number is refused beside its field; the name typed stays.
    page.get_by_label("姓名").fill("程桂兰")
    page.get_by_label("身份证号码").fill("420281195803120021")
    page.get_by_label("与申请人关系").select_option(label="申请人")
    page.get_by_label("劳动能力").select_option(label="部分丧失劳动能力")
    page.get_by_role("button", name="保存并继续添加").click()
    expect(page.locator("#id_id_number-error")).to_have_text("身份证号码校验位不正确，请核对每一位数字。")
    expect(page.get_by_label("姓名")).to_have_value("程桂兰")

    applicant_id = valid_id(date(1958, 3, 12), male=False)
    page.get_by_label("身份证号码").fill(applicant_id)
    page.get_by_role("button", name="保存并继续添加").click()
    expect(page.get_by_text("已保存家庭成员 程桂兰。")).to_be_visible()

    page.get_by_label("姓名").fill("程小军")
    page.get_by_label("身份证号码").fill(valid_id(date(2012, 9, 1)))
    page.get_by_label("与申请人关系").select_option(label="子女")
    page.get_by_label("全日制在校学生").check()
    page.get_by_label("在读学历").select_option(label="初中")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="家庭成员（2人）")).to_be_visible()
    expect(page.get_by_role("cell", name="1958-03-12")).to_be_visible()

    household = Household.objects.get(address="西畈村7组18号")
    menu(page, "家庭档案")
    page.get_by_label("姓名 / 身份证号 / 户编号").fill("程桂兰")
    page.get_by_role("button", name="查询").click()
    row = page.get_by_role("row").filter(has_text=household.household_number)
    expect(row).to_contain_text("西畈村")
    expect(row).to_contain_text("程桂兰")
    expect(row.get_by_role("cell").nth(5)).to_have_text("2")
    expect(page.get_by_text("共 1 户")).to_be_visible()


def test_village_staff_cannot_open_another_villages_household(page: Page, live_server, world):
    login(page, live_server.url, "village_a1")
    page.goto(f"{live_server.url}/households/{world.household_a2.pk}/")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.get_by_text("陈小河")).to_have_count(0)
