"""The §5 API: imports with a department's token, warnings in scope, feedback; who may do what."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.glossary import Role
from households.services.households import household_update
from monitoring.glossary import WarningStatus
from monitoring.models import DatasetImport, SharedRow, Warning
from monitoring.services.tokens import api_token_create
from monitoring.services.warnings import warnings_escalate

from ..factories import user_with_role
from .conftest import Pool, csv_bytes

pytestmark = pytest.mark.django_db


def token_client(pool: Pool, code: str) -> APIClient:
    _token, key = api_token_create(department=pool.departments[code], name="测试")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def post_file(client: APIClient, dataset: str, content: bytes, period: str = "2026-01", name: str = "a.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/datasets/{dataset}/imports/",
        {"file": SimpleUploadedFile(name, content), "period": period},
        format="multipart",
    )


def medical_assistance(pool: Pool) -> bytes:
    m = pool.member_a1
    return csv_bytes(
        [{"id_number": m.id_number, "name": m.name, "paid_on": "2026-01-05", "amount": "500", "ratio": "50"}]
    )


def test_token_import_answers_201_then_200_for_the_same_file(pool: Pool) -> None:
    client = token_client(pool, "YBJ")
    first = post_file(client, "medical_assistance", medical_assistance(pool))
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["matched"] == 1
    assert body["warnings_created"] == 1
    assert body["duplicate_of"] is None
    again = post_file(client, "medical_assistance", medical_assistance(pool))
    assert again.status_code == 200
    assert again.json()["duplicate_of"] == body["import_id"]
    assert (again.json()["matched"], again.json()["warnings_created"]) == (0, 0)
    assert again.json()["earlier"]["warnings_created"] == 1
    assert DatasetImport.objects.get().channel == "api"


def test_token_of_another_department_is_refused_the_dataset(pool: Pool) -> None:
    response = post_file(token_client(pool, "RSJ"), "medical_assistance", medical_assistance(pool))
    assert response.status_code == 403
    assert response.json()["code"] == "dataset_not_yours"
    assert not DatasetImport.objects.exists()


def test_no_token_or_a_bad_one_is_401(pool: Pool) -> None:
    assert post_file(APIClient(), "death", b"x").status_code in (401, 403)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert post_file(client, "death", b"x").status_code == 401


def test_revoked_token_is_refused(pool: Pool) -> None:
    token, key = api_token_create(department=pool.departments["YBJ"], name="旧")
    token.revoked = True
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert post_file(client, "medical_assistance", medical_assistance(pool)).status_code == 401


def test_unusable_file_is_400_with_message_and_nothing_stored(pool: Pool) -> None:
    client = token_client(pool, "YBJ")
    response = post_file(client, "medical_assistance", "身份证号,姓名\n1,2\n".encode())
    assert response.status_code == 400
    assert response.json()["code"] == "missing_column"
    assert (
        post_file(client, "medical_assistance", medical_assistance(pool), period="2026/01").status_code == 400
    )
    assert post_file(client, "weather", b"a").status_code == 400
    assert not DatasetImport.objects.exists()
    assert not SharedRow.objects.exists()


def test_session_department_user_imports_its_own_dataset_only(pool: Pool) -> None:
    client = APIClient()
    client.force_login(pool.dept_users["YBJ"])
    assert post_file(client, "medical_assistance", medical_assistance(pool)).status_code == 201
    clerk = APIClient()
    clerk.force_login(pool.world.users["town_clerk"])
    assert post_file(clerk, "death", b"x").status_code == 403


@pytest.fixture
def warned(pool: Pool) -> Pool:
    """A town warning in each town (death), one for 医保 (town A), one for 住建 (town B)."""
    from monitoring.services.imports import dataset_import_now

    from .test_imports import run  # noqa: F401 - the command path is covered there

    def load(dataset: str, department: str, rows: list[dict[str, str]]) -> None:
        dataset_import_now(
            dataset_key=dataset,
            period="2026-01",
            binary=io.BytesIO(csv_bytes(rows)),
            file_name="x.csv",
            department=pool.departments[department],
        )

    a, b = pool.member_a1, pool.member_b1
    load(
        "death", "WJJ", [{"id_number": m.id_number, "name": m.name, "died_on": "2026-01-02"} for m in (a, b)]
    )
    load(
        "medical_assistance",
        "YBJ",
        [{"id_number": a.id_number, "name": a.name, "paid_on": "2026-01-05", "amount": "5", "ratio": "1"}],
    )
    load(
        "housing",
        "ZJJ",
        [{"id_number": b.id_number, "name": b.name, "rated_on": "2026-01-05", "rating": "D"}],
    )
    assert Warning.objects.count() == 4
    return pool


def listed(client: APIClient) -> set[tuple[str, str]]:
    response = client.get("/api/v1/warnings/")
    assert response.status_code == 200
    return {(w["type"], w["household"]) for w in response.json()}


def session(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_login(user)
    return client


def test_warning_list_scope_matrix(warned: Pool) -> None:
    pool = warned
    a, b = pool.a1.household_number, pool.b1.household_number
    users = pool.world.users
    assert listed(token_client(pool, "YBJ")) == {("assistance_below_ratio", a)}
    assert listed(session(pool.dept_users["ZJJ"])) == {("dangerous_house", b)}
    assert listed(session(pool.dept_users["RSJ"])) == set()
    # The household's town always sees its households' warnings, whoever must act.
    assert listed(session(users["town_clerk"])) == {("death", a), ("assistance_below_ratio", a)}
    assert listed(session(users["village_staff"])) == {("death", a), ("assistance_below_ratio", a)}
    # The bureaus see only what was escalated to them.
    assert listed(session(users["civil_affairs_reviewer"])) == set()
    assert listed(session(users["administrator"])) == set()
    assert APIClient().get("/api/v1/warnings/").status_code in (401, 403)


def test_a_warning_keeps_its_households_town_and_follows_a_move(warned: Pool) -> None:
    """Each writer gives a warning its household's town, which the town's list reads; a household moved
    to another town's village takes its warnings to that town's clerk."""
    pool = warned
    for warning in Warning.objects.select_related("household__village"):
        assert warning.town_id == warning.household.village.parent_id
    clerk_b = user_with_role(Role.TOWN_CLERK, pool.world.town_b, "clerk_b")
    a = pool.a1.household_number
    assert ("death", a) not in listed(session(clerk_b))
    household_update(household=pool.a1, data={"village": pool.world.village_b1})
    assert listed(session(clerk_b)) >= {("death", a), ("assistance_below_ratio", a)}
    assert listed(session(pool.world.users["town_clerk"])) == set()
    assert set(Warning.objects.filter(household=pool.a1).values_list("town", flat=True)) == {
        pool.world.town_b.pk
    }


def test_department_sees_masked_id_town_sees_full(warned: Pool) -> None:
    dept = token_client(warned, "YBJ").get("/api/v1/warnings/").json()[0]
    number = warned.member_a1.id_number
    assert dept["member"] == {
        "name": warned.member_a1.name,
        "id_number": number[:6] + "********" + number[-4:],
    }
    assert set(dept) == {
        "id",
        "type",
        "severity",
        "household",
        "member",
        "assignee",
        "raised_on",
        "due",
        "status",
    }
    clerk = session(warned.world.users["town_clerk"]).get("/api/v1/warnings/").json()
    assert number in {w["member"]["id_number"] for w in clerk}


def test_feedback_by_the_department_on_its_own_warning(warned: Pool) -> None:
    warning = Warning.objects.get(type="assistance_below_ratio")
    client = token_client(warned, "YBJ")
    response = client.post(
        f"/api/v1/warnings/{warning.pk}/feedback/", {"action": "assisted", "feedback": "已补足救助"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "handled"
    warning.refresh_from_db()
    assert (warning.status, warning.action, warning.feedback) == (
        WarningStatus.HANDLED,
        "assisted",
        "已补足救助",
    )
    again = client.post(f"/api/v1/warnings/{warning.pk}/feedback/", {"action": "assisted", "feedback": "x"})
    assert again.status_code == 409


def test_feedback_refused_outside_scope_and_without_reason(warned: Pool) -> None:
    other = Warning.objects.get(type="dangerous_house")
    client = token_client(warned, "YBJ")
    assert (
        client.post(
            f"/api/v1/warnings/{other.pk}/feedback/", {"action": "assisted", "feedback": "x"}
        ).status_code
        == 404
    )
    own = Warning.objects.get(type="assistance_below_ratio")
    response = client.post(f"/api/v1/warnings/{own.pk}/feedback/", {"action": "no_action", "feedback": ""})
    assert response.status_code == 400
    assert response.json()["field"] == "feedback"
    town_b_death = Warning.objects.get(type="death", household=warned.b1)
    clerk = session(warned.world.users["town_clerk"])
    assert (
        clerk.post(
            f"/api/v1/warnings/{town_b_death.pk}/feedback/", {"action": "assisted", "feedback": "x"}
        ).status_code
        == 404
    )


def test_escalation_reaches_the_bureau_of_the_households_categories(warned: Pool) -> None:
    # Town B's household is in monitoring: its overdue warnings reach 农业农村局; town A's (低保) 民政局.
    Warning.objects.update(due_on=date(2026, 3, 2))  # a Monday
    assert warnings_escalate(today=date(2026, 3, 9)) == 0  # 5 working days overdue: not yet
    assert warnings_escalate(today=date(2026, 3, 10)) == 4  # the 6th working day
    assert warnings_escalate(today=date(2026, 3, 10)) == 0  # a second run the same day changes nothing
    users = warned.world.users
    a, b = warned.a1.household_number, warned.b1.household_number
    assert listed(session(users["civil_affairs_reviewer"])) == {("death", a), ("assistance_below_ratio", a)}
    assert listed(session(users["agri_bureau_reviewer"])) == {("death", b), ("dangerous_house", b)}


def test_escalation_counts_working_days_across_a_holiday(warned: Pool) -> None:
    # Due Monday 2025-09-29; 1–8 October 2025 is the National Day break, 2025-10-11 (Saturday) a working day.
    Warning.objects.update(due_on=date(2025, 9, 29))
    assert warnings_escalate(today=date(2025, 10, 10)) == 0  # 9-30, 10-9, 10-10: three working days
    assert warnings_escalate(today=date(2025, 10, 13)) == 0  # + 10-11 and 10-13: five
    assert warnings_escalate(today=date(2025, 10, 14)) == 4  # the sixth
    assert Warning.objects.filter(escalated_on=date(2025, 10, 14)).count() == 4


def test_handled_warning_is_not_escalated(warned: Pool) -> None:
    Warning.objects.update(due_on=date(2026, 3, 2), status=WarningStatus.HANDLED)
    assert warnings_escalate(today=date(2026, 3, 10) + timedelta(days=30)) == 0


def test_admin_issues_a_token_shown_once_that_works(pool: Pool) -> None:
    from django.test import Client

    from monitoring.models import ApiToken

    admin_user = pool.world.users["administrator"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/monitoring/apitoken/add/",
        {"department": pool.departments["YBJ"].pk, "name": "医保平台"},
        follow=True,
    )
    page = response.content.decode()
    key = page.split("接口令牌（只显示这一次，请妥善交给市医保局）：")[1].split("<")[0].strip()
    token = ApiToken.objects.get()
    assert key.startswith(token.prefix)
    assert key not in token.digest
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert post_file(api, "medical_assistance", medical_assistance(pool)).status_code == 201
