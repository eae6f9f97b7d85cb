"""GET /api/v1/workdays/add/: public, every error listed with its parameter."""

from __future__ import annotations

from datetime import date

import pytest

from workdays.models import CalendarDay

pytestmark = pytest.mark.django_db
URL = "/api/v1/workdays/add/"


def test_the_design_example(client):
    response = client.get(URL, {"start": "2025-09-28", "days": "5"})
    assert response.status_code == 200
    assert response.json() == {"date": "2025-10-11", "provisional": False}


def test_a_2027_deadline_is_provisional(client):
    response = client.get(URL, {"start": "2026-12-20", "days": "20"})
    assert response.json() == {"date": "2027-01-18", "provisional": True}


def test_zero_days_and_the_upper_limit(client):
    assert client.get(URL, {"start": "2025-10-01", "days": "0"}).json() == {
        "date": "2025-10-01",
        "provisional": False,
    }
    assert client.get(URL, {"start": "2024-12-31", "days": "400"}).json() == {
        "date": "2026-08-13",
        "provisional": False,
    }


def test_an_entered_day_is_used(client):
    CalendarDay.objects.create(date=date(2025, 10, 11), is_workday=False)
    assert client.get(URL, {"start": "2025-09-28", "days": "5"}).json()["date"] == "2025-10-13"


def test_no_login_needed_and_a_logged_in_user_gets_the_same(client, world):
    anonymous = client.get(URL, {"start": "2026-02-12", "days": "5"})
    client.force_login(world.users["town_clerk"])
    logged_in = client.get(URL, {"start": "2026-02-12", "days": "5"})
    assert anonymous.status_code == logged_in.status_code == 200
    assert anonymous.json() == logged_in.json() == {"date": "2026-02-26", "provisional": False}


def test_two_queries_per_request(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get(URL, {"start": "2025-09-28", "days": "45"}).status_code == 200


def _errors(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == {"errors"}
    errors = response.json()["errors"]
    for error in errors:
        assert set(error) == {"path", "code", "message"}
        assert error["message"]
    return [(error["path"], error["code"]) for error in errors]


def test_both_missing_are_both_listed(client):
    assert _errors(client, {}) == [("start", "required"), ("days", "required")]
    assert _errors(client, {"start": " ", "days": ""}) == [("start", "required"), ("days", "required")]


@pytest.mark.parametrize("start", ["2025-13-01", "2025-02-30", "2025/09/28", "20250928", "2025-9-28", "明天"])
def test_a_malformed_start_with_a_non_integer_days_lists_both(client, start):
    assert _errors(client, {"start": start, "days": "五"}) == [("start", "invalid"), ("days", "invalid")]


@pytest.mark.parametrize("days", ["1.5", "5天", "1e3", "0x10", "٣"])
def test_days_must_be_an_integer(client, days):
    assert _errors(client, {"start": "2025-09-28", "days": days}) == [("days", "invalid")]


@pytest.mark.parametrize(
    ("days", "code"), [("-1", "min_value"), ("401", "max_value"), ("9" * 5000, "max_value")]
)
def test_days_out_of_range(client, days, code):
    assert _errors(client, {"start": "2025-09-28", "days": days}) == [("days", code)]


def test_a_missing_start_with_days_out_of_range_lists_both(client):
    assert _errors(client, {"days": "-3"}) == [("start", "required"), ("days", "min_value")]


def test_a_start_too_late_to_compute(client):
    assert _errors(client, {"start": "9999-12-20", "days": "20"}) == [("start", "out_of_range")]


def test_messages_are_in_chinese(client):
    errors = client.get(URL, {"start": "x", "days": "401"}).json()["errors"]
    assert errors[0]["message"].startswith("开始日期")
    assert errors[1]["message"] == "工作日天数不能大于400。"


def test_the_endpoint_is_in_the_openapi_schema(client):
    assert "/api/v1/workdays/add/" in client.get("/api/v1/schema/").content.decode()
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/workdays/add/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == {"start", "days"}
    assert all(parameter["in"] == "query" and parameter["required"] for parameter in parameters.values())
    assert parameters["start"]["schema"]["format"] == "date"
    assert parameters["days"]["schema"]["type"] == "integer"
    assert set(operation["responses"]) == {"200", "400"}
