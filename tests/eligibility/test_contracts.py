"""The contracts of DESIGN §5: POST /api/v1/eligibility/evaluate/ and `manage.py evaluate_household`."""

import json
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache

from households.idnumbers import make

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/evaluate/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def good_snapshot():
    return {
        "schema": "household-snapshot/1",
        "as_of": "2026-03-01",
        "hukou_type": "rural",
        "members": [
            {
                "ref": "a",
                "relation": "applicant",
                "birth_date": "1980-05-01",
                "labor_capacity": "full",
                "annual_income": "6000",
                "id_number": make("420281", date(1980, 5, 1), 11),
            },
            {
                "ref": "b",
                "relation": "spouse",
                "birth_date": "1982-07-09",
                "labor_capacity": "partial",
                "annual_income": "1000.00",
            },
        ],
    }


def test_endpoint_evaluates_without_login(client):
    response = client.post(URL, good_snapshot(), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "as_of",
        "categories",
        "primary_category",
        "per_capita_monthly_income",
        "per_capita_annual_income",
        "members",
        "reasons",
        "parameters",
        "benefits",
    }
    assert body["per_capita_annual_income"] == "3500.00"
    # 2 × 600 − 7000 ÷ 12 = 616.67 a month, paid in whole yuan (DESIGN §3.7).
    assert body["benefits"] == [{"category": "dibao", "member": None, "monthly_amount": "617.00"}]
    assert body["per_capita_monthly_income"] == "291.67"
    assert body["primary_category"] == "dibao"
    assert body["members"][0] == {"ref": "a", "counted": True, "rule": "applicant", "categories": []}
    assert body["members"][1]["rule"] == "spouse"
    assert any(ref.endswith("dibao_standard_rural@420281/2025-01-01") for ref in body["parameters"])
    assert {"rule": "dibao", "passed": True}.items() <= next(
        r for r in body["reasons"] if r["rule"] == "dibao"
    ).items()


def test_endpoint_lists_every_error_with_its_path(client):
    data = good_snapshot()
    data["members"][0]["id_number"] = data["members"][0]["id_number"][:-1] + (
        "0" if data["members"][0]["id_number"][-1] != "0" else "1"
    )
    data["members"][1]["relation"] = "applicant"
    data["members"][1]["annual_income"] = "12.345"
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 400
    paths = {(e["path"], e["code"]) for e in response.json()["errors"]}
    assert ("$.members[0].id_number", "id_number_invalid") in paths
    assert ("$.members[1].annual_income", "schema") in paths
    assert any(code == "multiple_applicants" for _, code in paths)
    assert all(e["message"] for e in response.json()["errors"])


def test_endpoint_refuses_malformed_json_and_dates_without_parameters(client):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"
    data = good_snapshot()
    data["as_of"] = "2024-06-01"
    data["members"][0].pop("id_number")
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "$.as_of"
    assert "2024-06-01 没有生效的参数" in response.json()["errors"][0]["message"]


def test_endpoint_is_rate_limited(client, settings):
    settings.SELF_CHECK_RATE = "3/m"  # the one rate of the page and the API, read on each request
    codes = [client.post(URL, good_snapshot(), content_type="application/json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/eligibility/evaluate/" in schema
    assert "/api/v1/households/" in schema


def run_command(args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", "evaluate_household", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "daye_relief.settings.test",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{settings.DATABASES['default']['NAME']}",
        },
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_reads_a_file_and_stdin(tmp_path):
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(good_snapshot()), encoding="utf-8")
    from_file = run_command([str(path)])
    assert from_file.returncode == 0, from_file.stderr
    assert json.loads(from_file.stdout)["per_capita_monthly_income"] == "291.67"
    from_stdin = run_command(["-"], stdin=json.dumps(good_snapshot()))
    assert from_stdin.returncode == 0
    assert json.loads(from_stdin.stdout) == json.loads(from_file.stdout)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_exits_2_with_every_error():
    data = good_snapshot()
    data["members"][0]["relation"] = "spouse"
    data["members"][1]["birth_date"] = "1982-02-30"
    result = run_command(["-"], stdin=json.dumps(data))
    assert result.returncode == 2
    errors = json.loads(result.stdout)["errors"]
    assert {e["code"] for e in errors} >= {"no_applicant", "schema"}
    assert "Traceback" not in result.stderr
    broken = run_command(["-"], stdin="[1, 2")
    assert broken.returncode == 2
    assert json.loads(broken.stdout)["errors"][0]["code"] == "invalid_json"
    missing = run_command(["/nonexistent.json"])
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["errors"][0]["code"] == "unreadable"
