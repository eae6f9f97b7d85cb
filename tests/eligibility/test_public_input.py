"""Bad input to the public self-check never gives a 500 (issue 8 point 15): the endpoint, the command and
the page each refuse it with a message naming the problem; the rate limit counts the real client (14)."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.eligibility.test_contracts import good_snapshot, run_command

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/evaluate/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def post(client, body, **extra):
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    return client.post(URL, body, content_type="application/json", **extra)


def codes_of(response):
    return [(e["path"], e["code"]) for e in response.json()["errors"]]


def test_bodies_over_64_kb_are_refused(client):
    data = good_snapshot()
    data["members"][0]["name"] = "张" * 30_000  # 90 KB of UTF-8
    response = post(client, data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "snapshot_invalid"
    assert body["errors"] == [{"path": "$", "code": "too_large", "message": "请求内容超过 64 KB，未作测算。"}]


def test_huge_integers_are_refused_not_crashed_on(client):
    raw = json.dumps(good_snapshot())[:-1] + ', "assets": {"motor_vehicles": ' + "9" * 5000 + "}}"
    response = post(client, raw)
    assert response.status_code == 400
    assert codes_of(response) == [("$", "number_too_large")]
    assert "位数过多" in response.json()["errors"][0]["message"]
    data = good_snapshot()
    data["assets"] = {"houses": 10**12}
    response = post(client, data)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"path": "$.assets.houses", "code": "schema", "message": "不能大于 99。"}
    ]


def test_deep_nesting_is_refused(client):
    raw = '{"schema": ' + "[" * 20_000 + "]" * 20_000 + "}"
    response = post(client, raw)
    assert response.status_code == 400
    assert codes_of(response)[0][1] == "too_deep"
    shallow_but_too_deep = good_snapshot()
    shallow_but_too_deep["members"][0]["name"] = [[[[[[[[["x"]]]]]]]]]
    response = post(client, shallow_but_too_deep)
    assert response.status_code == 400
    assert codes_of(response)[0][1] == "too_deep"


def test_unpaired_surrogates_are_refused_with_their_path(client):
    raw = json.dumps(good_snapshot()).replace('"ref": "b"', '"ref": "\\ud800"')
    response = post(client, raw)
    assert response.status_code == 400
    assert codes_of(response) == [("$.members[1].ref", "invalid_character")]


def test_over_long_strings_and_too_many_members_are_refused(client):
    data = good_snapshot()
    data["members"][1]["name"] = "李" * 51
    data["members"][1]["ref"] = "r" * 33
    data["members"] += [dict(data["members"][1], ref=f"m{i}", name="x") for i in range(30)]
    response = post(client, data)
    assert response.status_code == 400
    errors = {(e["path"], e["message"]) for e in response.json()["errors"]}
    assert ("$.members[1].name", "过长：最多 50 个字符，此处有 51 个。") in errors
    assert ("$.members[1].ref", "过长：最多 32 个字符，此处有 33 个。") in errors
    assert ("$.members", "最多 30 项，此处有 32 项。") in errors


def test_not_utf8_nan_and_money_too_large_are_refused(client):
    assert codes_of(post(client, b"\xff\xfe{}")) == [("$", "invalid_encoding")]
    raw = json.dumps(good_snapshot()).replace('"6000"', "NaN")
    assert codes_of(post(client, raw)) == [("$", "invalid_json")]
    data = good_snapshot()
    data["members"][0]["annual_income"] = "1" * 13
    response = post(client, data)
    assert response.json()["errors"] == [
        {
            "path": "$.members[0].annual_income",
            "code": "schema",
            "message": f'金额 "{"1" * 13}" 过大：整数部分最多12位。',
        }
    ]


@pytest.mark.parametrize(
    ("birth", "code", "message"),
    [
        ("2026-03-02", "birth_date_in_future", "出生日期 2026-03-02 晚于测算日期 2026-03-01，请核对。"),
        ("1899-12-31", "birth_date_too_early", "出生日期 1899-12-31 早于1900年1月1日，请核对。"),
    ],
)
def test_birth_dates_after_as_of_or_before_1900_are_refused(client, birth, code, message):
    data = good_snapshot()
    data["members"][1]["birth_date"] = birth
    response = post(client, data)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"path": "$.members[1].birth_date", "code": code, "message": message}
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_refuses_bad_input_with_exit_2_and_no_traceback():
    deep = run_command(["-"], stdin="[" * 50_000)
    assert deep.returncode == 2
    assert json.loads(deep.stdout)["errors"][0]["code"] in ("too_deep", "too_large")
    big = run_command(["-"], stdin=json.dumps(good_snapshot())[:-1] + ', "x": "' + "a" * 70_000 + '"}')
    assert big.returncode == 2
    assert json.loads(big.stdout)["errors"][0]["code"] == "too_large"
    surrogate = run_command(
        ["-"], stdin=json.dumps(good_snapshot()).replace('"ref": "a"', '"ref": "\\udc00"')
    )
    assert surrogate.returncode == 2
    assert json.loads(surrogate.stdout)["errors"][0]["code"] == "invalid_character"
    for result in (deep, big, surrogate):
        assert "Traceback" not in result.stderr


def test_command_on_a_database_never_migrated_says_to_run_migrate(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "evaluate_household", "-"],
        input=json.dumps(good_snapshot()),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "daye_relief.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        },
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "请先运行 python manage.py migrate" in result.stderr
    assert "run `python manage.py migrate` first" in result.stderr


# --- the rate limit counts the real client (point 14) -------------------------------------------------


@override_settings(SELF_CHECK_RATE="2/m", TRUSTED_PROXY_COUNT=0)
def test_a_forged_forwarded_for_does_not_reset_the_count(client):
    codes = [post(client, good_snapshot(), HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]


@override_settings(SELF_CHECK_RATE="2/m", TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_the_client(client):
    # The client forged the first entry; our proxy appended the address it really saw.
    first = [
        post(client, good_snapshot(), HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.7").status_code
        for i in range(3)
    ]
    assert first == [200, 200, 429]
    other = post(client, good_snapshot(), HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200


@override_settings(SELF_CHECK_RATE="2/m")
def test_page_and_api_share_one_counter(client, world):
    from tests.eligibility.test_pages import self_check_form

    assert post(client, good_snapshot()).status_code == 200
    form = self_check_form(**{"m-0-relation": "applicant", "m-0-birth_date": "1980-01-01"})
    assert client.post(reverse("self_check"), form).status_code == 200
    assert post(client, good_snapshot()).status_code == 429
    assert client.post(reverse("self_check"), form).status_code == 429
