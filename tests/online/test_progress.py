"""/public/progress/ and GET /api/v1/public/progress/ (issue 20 point 3): a right pair shows the stage in
plain words, the dates and the deadline, nothing else; a wrong code answers as an unknown number; the sixth
wrong try from one client in 10 minutes waits, page and API counting together."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from applications.glossary import Stage
from applications.models import Application
from online.models import OnlineApplication
from tests.applications.cases import advance
from tests.online.forms import APPLICANT_ID, apply_form
from tests.online.pages import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _apply(client, world) -> tuple[str, str]:
    response = client.post(reverse("online:apply"), apply_form(world.village_a1))
    page = client.get(response["Location"]).content.decode()
    return re.search(r'id="receipt-number">(\w+)<', page)[1], re.search(r'id="receipt-code">(\w+)<', page)[1]


def _query(client, **fields):
    return client.post(reverse("online:progress"), fields)


def _result(page: str) -> str:
    return re.search(r'<section class="card result" id="progress-result">.*?</section>', page, re.S)[0]


def test_a_right_pair_shows_the_stage_and_nothing_else(client, world):
    number, code = _apply(client, world)
    page = _query(client, number=number, code=code).content.decode()
    result = _result(page)
    assert '当前进度：<strong id="stage-label">已提交、待受理</strong>' in result
    assert "提交日期" in result
    by_id = _result(_query(client, id_number=APPLICANT_ID, code=code.lower()).content.decode())
    assert number in by_id

    # The clerk accepts: the progress page shows it at once, with the deadline; no staff name.
    clerk = world.users["town_clerk"]
    client.force_login(clerk)
    online = OnlineApplication.objects.get(number=number)
    accept_page = client.get(reverse("online:accept", args=[online.pk])).content.decode()
    client.post(
        reverse("online:accept", args=[online.pk]),
        form_values(
            accept_page, 1, **{"h-address": "东湖村三组12号", "i-materials": ["hukou_book", "id_cards"]}
        ),
    )
    client.logout()
    case = Application.objects.get()
    result = _result(_query(client, number=number, code=code).content.decode())
    assert "已受理" in result
    assert "受理日期" in result
    assert "预计办结期限" in result
    assert clerk.full_name not in result
    assert "元" not in result  # no amounts

    advance(world, case, Stage.PUBLICIZING)
    assert "公示中" in _result(_query(client, number=number, code=code).content.decode())
    advance(world, Application.objects.get(), Stage.APPROVED, approve=False)
    result = _result(_query(client, number=number, code=code).content.decode())
    assert "未予批准" in result
    assert "请留意书面通知或联系还地桥镇社会事务办" in result
    assert "高于标准" not in result  # the rejection's reason is for the written notice

    api = client.get(reverse("api-public-progress"), {"number": number, "code": code}).json()
    assert api["stage"] == "rejected"
    assert api["stage_label"] == "未予批准"
    assert set(api) == {"number", "stage", "stage_label", "dates", "deadline", "office", "office_phone"}


def test_a_wrong_code_answers_as_an_unknown_number(client, world):
    number, code = _apply(client, world)
    wrong = "".join("A" if c != "A" else "B" for c in code)
    wrong_code = _query(client, number=number, code=wrong)
    unknown = _query(client, number="W999991231001", code=code)
    assert wrong_code.status_code == unknown.status_code == 200
    assert wrong_code.content.decode().replace(number, "W999991231001") == unknown.content.decode().replace(
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', unknown.content.decode())[1],
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', wrong_code.content.decode())[1],
    )
    api_wrong = client.get(reverse("api-public-progress"), {"number": number, "code": wrong})
    api_unknown = client.get(reverse("api-public-progress"), {"number": "W999991231001", "code": code})
    assert api_wrong.status_code == api_unknown.status_code == 404
    assert api_wrong.content == api_unknown.content


def test_the_sixth_wrong_try_waits_and_page_and_api_count_together(client, world):
    number, code = _apply(client, world)
    for _ in range(3):
        assert _query(client, number=number, code="ZZZZZZ").status_code == 200
    for _ in range(2):
        assert (
            client.get(reverse("api-public-progress"), {"number": number, "code": "ZZZZZZ"}).status_code
            == 404
        )
    assert _query(client, number=number, code=code).status_code == 429  # even the right pair now waits
    assert client.get(reverse("api-public-progress"), {"number": number, "code": code}).status_code == 429
    # Another client is not held up.
    other = client.post(reverse("online:progress"), {"number": number, "code": code}, REMOTE_ADDR="10.1.1.9")
    assert other.status_code == 200


def test_right_tries_do_not_count(client, world):
    number, code = _apply(client, world)
    for _ in range(8):
        assert "已提交、待受理" in _query(client, number=number, code=code).content.decode()
