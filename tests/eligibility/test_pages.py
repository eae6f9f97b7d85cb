"""The parameter pages' permissions, the re-evaluation pages', and the public self-check page."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from eligibility.models import PolicyParameter, ReevaluationRun

pytestmark = pytest.mark.django_db

ROLES = [
    "town_clerk",
    "town_agri_officer",
    "task_force",
    "village_staff",
    "civil_affairs_reviewer",
    "agri_bureau_reviewer",
    "department_user",
    "administrator",
]
VIEWERS = {
    "town_clerk",
    "town_agri_officer",
    "task_force",
    "civil_affairs_reviewer",
    "agri_bureau_reviewer",
    "administrator",
}


@pytest.mark.parametrize("role", ROLES)
def test_parameter_pages_by_role(client, world, role):
    client.force_login(world.users[role])
    listing = client.get(reverse("eligibility:parameters"))
    assert listing.status_code == (200 if role in VIEWERS else 403)
    if role in VIEWERS:
        assert "农村低保标准（每月）" in listing.content.decode()
        assert "600</strong> 元/月" in listing.content.decode()
    row = PolicyParameter.objects.get(code="dibao_standard_rural")
    editor = role == "civil_affairs_reviewer"
    assert client.get(reverse("eligibility:parameter_create")).status_code == (200 if editor else 403)
    if editor:
        page = client.get(reverse("eligibility:parameter_edit", args=[row.pk])).content.decode()
        assert "<h2>修改记录</h2>" in page
        assert "系统" in page  # the row the data migration created
    response = client.post(
        reverse("eligibility:parameter_edit", args=[row.pk]),
        {
            "code": row.code,
            "region_code": "420281",
            "valid_from": "2025-01-01",
            "value": "999",
            "source": "x",
        },
    )
    assert response.status_code == (302 if editor else 403)
    row.refresh_from_db()
    assert (row.value == 999) == editor


@pytest.mark.parametrize("role", ROLES)
def test_reevaluation_pages_by_role(client, world, role):
    client.force_login(world.users[role])
    bureau = role in {"civil_affairs_reviewer", "agri_bureau_reviewer"}
    assert client.get(reverse("eligibility:reevaluations")).status_code == (200 if bureau else 403)
    run = ReevaluationRun.objects.create(as_of="2026-03-01", status="done")
    assert client.get(reverse("eligibility:reevaluation", args=[run.pk])).status_code == (
        200 if bureau else 403
    )
    if role != "civil_affairs_reviewer":
        response = client.post(reverse("eligibility:reevaluations"), {"as_of": "2026-03-01"})
        assert response.status_code == 403
        assert ReevaluationRun.objects.count() == 1


def test_parameter_form_shows_the_overlap_beside_the_field(client, world):
    client.force_login(world.users["civil_affairs_reviewer"])
    response = client.post(
        reverse("eligibility:parameter_create"),
        {
            "code": "dibao_standard_rural",
            "region_code": "420281",
            "valid_from": "2026-01-01",
            "value": "650",
            "source": "2026年文件",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<p class="error" id="id_valid_from-error">与已有的“农村低保标准（每月）”' in page
    assert 'value="2026年文件"' in page
    bad_region = client.post(
        reverse("eligibility:parameter_create"),
        {
            "code": "dibao_standard_rural",
            "region_code": "4202",
            "valid_from": "2026-01-01",
            "value": "650",
            "source": "x",
        },
    )
    assert "区域代码应为6位、9位或12位数字。" in bad_region.content.decode()


def self_check_form(**members):
    data = {
        "m-TOTAL_FORMS": "6",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "12",
        "hukou_type": "rural",
        "financial_assets": "0",
        "motor_vehicles": "0",
        "motor_vehicle_value": "0",
        "houses": "1",
        "medical": "0",
        "education": "0",
        "other": "0",
    }
    for i in range(6):
        data.update({f"m-{i}-labor_capacity": "full", f"m-{i}-annual_income": "0"})
    data.update(members)
    return data


def test_self_check_shows_the_categories_and_why_and_stores_nothing(client, world):
    before = PolicyParameter.objects.count()
    response = client.post(
        reverse("self_check"),
        self_check_form(
            **{
                "m-0-relation": "applicant",
                "m-0-birth_date": "1950-04-02",
                "m-0-labor_capacity": "none",
                "m-0-annual_income": "3600",
                "m-0-lives_together": "on",
                "m-0-shares_finances": "on",
            }
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "您的家庭可能符合：" in page
    assert '<span class="tag">特困</span>' in page
    assert "主要类别为：<strong>特困</strong>" in page
    assert "人均月收入 <strong>300.00</strong> 元" in page
    assert "第1位家庭成员：老年人" in page
    assert "以镇社会事务办调查、公示和集体研判的结果为准" in page
    assert PolicyParameter.objects.count() == before


def test_self_check_explains_bad_input_in_plain_chinese(client, world):
    page = client.post(
        reverse("self_check"),
        self_check_form(
            **{
                "m-0-relation": "spouse",
                "m-0-birth_date": "1980-01-01",
            }
        ),
    ).content.decode()
    assert "请把申请人本人填在其中一行，“与申请人关系”选“申请人”。" in page
    assert "测算结果" not in page
    page = client.post(
        reverse("self_check"), self_check_form(**{"m-0-relation": "applicant"})
    ).content.decode()
    assert "请填写出生日期。" in page
    page = client.post(reverse("self_check"), self_check_form()).content.decode()
    assert "请至少填写一位家庭成员（申请人）。" in page


@override_settings(SELF_CHECK_RATE="2/m")
def test_self_check_is_rate_limited(client, world):
    cache.clear()
    form = self_check_form(**{"m-0-relation": "applicant", "m-0-birth_date": "1980-01-01"})
    codes = [client.post(reverse("self_check"), form).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "您提交得太频繁了" in client.post(reverse("self_check"), form).content.decode()
    assert client.get(reverse("self_check")).status_code == 200
    cache.clear()
