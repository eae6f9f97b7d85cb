"""/self-check/ on a phone and a desk (issue 8 point 22): one card per member, every error at the top and
beside its field, impossible birth dates refused, reasons in plain sentences (point 6)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.eligibility.test_pages import self_check_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _summary(page: str) -> str:
    match = re.search(r'<div class="errorbox" id="problems".*?</div>', page, re.S)
    assert match, "no error summary at the top"
    return match.group(0)


def test_one_card_per_member(client, world):
    page = client.get(reverse("self_check")).content.decode()
    assert page.count('class="card member-card') == 6
    assert "<legend>第1位家庭成员（申请人）</legend>" in page
    assert "<legend>第6位家庭成员</legend>" in page
    assert 'min="1900-01-01"' in page
    assert f'max="{timezone.localdate().isoformat()}"' in page


def test_birth_dates_in_the_future_or_before_1900_are_refused_at_the_top_and_beside_the_field(client, world):
    tomorrow = timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat()
    page = client.post(
        reverse("self_check"),
        self_check_form(
            **{
                "m-0-relation": "applicant",
                "m-0-birth_date": tomorrow,
                "m-1-relation": "spouse",
                "m-1-birth_date": "1899-12-31",
                "houses": "100",
            }
        ),
    ).content.decode()
    summary = _summary(page)
    assert "第1位家庭成员·出生日期：出生日期不能晚于今天。" in summary
    assert "第2位家庭成员·出生日期：出生日期不能早于1900年1月1日。" in summary
    assert "自有住房套数：" in summary
    assert "请填写出生日期" not in page  # the date was given, only wrong
    beside = page[page.index('id="member-1"') : page.index('id="member-2"')]
    assert '<p class="error" id="id_m-0-birth_date-error">出生日期不能晚于今天。</p>' in beside
    assert "测算结果" not in page


def test_a_refusal_of_the_rules_is_shown_at_the_top_and_beside_its_member(client, world):
    page = client.post(
        reverse("self_check"),
        self_check_form(
            **{
                "m-0-relation": "applicant",
                "m-0-birth_date": "1980-01-01",
                "m-2-relation": "applicant",
                "m-2-birth_date": "1982-01-01",
            }
        ),
    ).content.decode()
    message = "只能有一位家庭成员的“与申请人关系”选“申请人”。"
    assert f"第3位家庭成员·与申请人关系：{message}" in _summary(page)
    beside = page[page.index('id="member-3"') : page.index('id="member-4"')]
    assert message in beside


def test_reasons_are_sentences_for_the_family(client, world):
    page = client.post(
        reverse("self_check"),
        self_check_form(
            **{
                "m-0-relation": "applicant",
                "m-0-birth_date": "1980-01-01",
                "m-0-annual_income": "7800",
            }
        ),
    ).content.decode()
    assert "<strong>低保</strong>（不符合）：家庭人均月收入 650.00 元，高于低保标准 600.00 元。" in page
    assert "<strong>特困</strong>（不符合）：第1位家庭成员：年龄" in page
    reasons = page[
        page.index('<ul class="reasons">') : page.index("</ul>", page.index('<ul class="reasons">'))
    ]
    assert not re.search(r"[<>≤≥‹✘]\s*\d", re.sub(r"<[^>]+>", "", reasons))


def test_a_grandchild_is_hinted_tekun_only_when_the_parents_are_ticked_unable(client, world):
    born = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year - 1).isoformat()
    family = {
        "m-0-relation": "applicant",
        "m-0-birth_date": "1950-04-02",
        "m-0-labor_capacity": "partial",
        "m-0-lives_together": "on",
        "m-0-shares_finances": "on",
        "m-1-relation": "grandchild",
        "m-1-birth_date": born,
        "m-1-lives_together": "on",
        "m-1-shares_finances": "on",
    }
    page = client.post(reverse("self_check"), self_check_form(**family)).content.decode()
    assert "父母均已死亡、失踪或无抚养能力" in page  # the box is offered
    assert "有能够履行赡养、扶养或抚养义务的法定义务人：父母（不在本户" in page
    assert "<tr><td>特困</td><td>第2位家庭成员</td>" not in page
    page = client.post(
        reverse("self_check"), self_check_form(**family, **{"m-1-parents_unable": "on"})
    ).content.decode()
    assert "<tr><td>特困</td><td>第2位家庭成员</td>" in page


def test_a_post_without_the_forms_management_data_is_told_not_a_server_error(client, world):
    response = client.post(reverse("self_check"), {})
    assert response.status_code == 200
    assert "测算结果" not in response.content.decode()
    assert "开始测算</button>" in response.content.decode()  # the empty form again
