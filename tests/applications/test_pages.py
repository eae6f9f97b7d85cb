"""The case pages and the API, by role: what each may see and do, with the same answers on both."""

import pytest
from django.urls import reverse

from applications.glossary import Stage
from applications.models import Application

from ..queries import assert_flat_queries
from .cases import accept, advance, staff

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
READERS = {
    "town_clerk",
    "town_agri_officer",
    "task_force",
    "village_staff",
    "civil_affairs_reviewer",
    "agri_bureau_reviewer",
}


@pytest.mark.parametrize("role", ROLES)
def test_case_page_and_api_by_role(client, world, role):
    application = accept(world)
    client.force_login(world.users[role])
    page = client.get(reverse("applications:detail", args=[application.pk]))
    api = client.get(f"/api/v1/applications/{application.pk}/")
    expected = 200 if role in READERS else 404
    assert (page.status_code, api.status_code) == (expected, expected)
    if expected == 200:
        assert application.case_number in page.content.decode()
        assert api.json()["stage"] == "accepted"
        assert api.json()["deadlines"]["investigation"] == {"date": "2025-10-11", "provisional": False}
    else:
        assert application.case_number not in page.content.decode() + api.content.decode()


def test_a_case_of_another_village_is_out_of_reach(client, world):
    application = accept(world, household=world.household_a2)
    client.force_login(world.users["village_staff"])
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert client.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert client.get("/api/v1/applications/").json()["results"] == []
    response = client.post(
        f"/api/v1/applications/{application.pk}/transitions/withdraw/",
        {"reason": "随便撤回"},
        content_type="application/json",
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED


@pytest.mark.parametrize("role", ROLES)
def test_only_the_allowed_actions_are_offered_and_accepted(client, world, role):
    application = accept(world)
    client.force_login(world.users[role])
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    url = reverse("applications:step", args=[application.pk, "start_investigation"])
    offered = url in page
    assert offered == (role == "town_clerk")
    response = client.get(url)
    assert response.status_code == (200 if role == "town_clerk" else (403 if role in READERS else 404))


def test_step_form_shows_errors_beside_fields_and_keeps_input(client, world):
    staff(world)
    application = accept(world)
    client.force_login(world.users["town_clerk"])
    url = reverse("applications:step", args=[application.pk, "start_investigation"])
    response = client.post(
        url,
        {
            "team": [world.users["town_clerk"].pk],
            "started_on": "2025-09-28",
            "check_requested_on": "2025-09-28",
        },
    )
    page = response.content.decode()
    assert "调查组至少2人，须包括本镇社会事务办和农办的工作人员。" in page
    assert 'value="2025-09-28"' in page
    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED


def test_a_stale_button_tells_the_clerk_plainly(client, world):
    application = advance(world, accept(world), Stage.PUBLICIZING)
    client.force_login(world.users["town_clerk"])
    response = client.post(reverse("applications:step", args=[application.pk, "send_to_notice"]), follow=True)
    assert (
        "案件当前处于“公示”阶段，不能“转村(居)公示”。可能已有其他人办理了这一步" in response.content.decode()
    )


def test_api_transitions_answer_like_the_pages(client, world):
    application = advance(world, accept(world), "investigated")
    client.force_login(world.users["town_clerk"])
    url = f"/api/v1/applications/{application.pk}/transitions/"
    ok = client.post(url + "send_to_notice/", {}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["stage"] == "publicizing"
    again = client.post(url + "send_to_notice/", {}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert "案件当前处于“公示”阶段" in again.json()["message"]
    bad = client.post(
        url + "extend/", {"total_working_days": "十", "reason": ""}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert bad.json()["errors"]["total_working_days"] == ["输入整数。"]
    assert bad.json()["errors"]["reason"] == ["该字段是必填项。"]
    refused = client.post(
        url + "extend/", {"total_working_days": 50, "reason": "补充核对"}, content_type="application/json"
    )
    assert refused.status_code == 400  # the form allows up to 45; the service says why in the same shape
    assert refused.json()["field"] == "total_working_days"
    nonsense = client.post(url + "nonsense/", {}, content_type="application/json")
    assert (nonsense.status_code, nonsense.json()["code"]) == (404, "not_found")
    client.force_login(world.users["task_force"])
    refused = client.post(
        url + "extend/", {"total_working_days": 30, "reason": "补充核对"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Application.objects.get(pk=application.pk).stage == Stage.PUBLICIZING


def test_api_is_in_the_openapi_schema_with_its_error_shape(client, world):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    transition = schema["paths"]["/api/v1/applications/{id}/transitions/{step}/"]["post"]["responses"]
    for code in ("400", "409"):
        ref = transition[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/Error")
    error_fields = set(schema["components"]["schemas"]["Error"]["properties"])
    assert error_fields == {"code", "message", "field", "errors"}
    assert transition["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/DetailError")
    assert "provisional" in str(schema["components"]["schemas"])


def test_workbench_shows_overdue_in_red(client, world):
    from datetime import date

    from applications.services import deadline_flags_refresh

    application = accept(world)
    deadline_flags_refresh(today=date(2026, 11, 30))
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:workbench")).content.decode()
    assert '<h2 class="danger">已逾期</h2>' in page
    assert 'class="row-overdue"' in page
    assert application.case_number in page


def test_filing_queue_is_each_bureaus_own(client, world):
    advance(world, accept(world), Stage.FILED)
    client.force_login(world.users["agri_bureau_reviewer"])
    assert client.get(reverse("applications:filings", args=["civil_affairs"])).status_code == 403
    page = client.get(reverse("applications:filings", args=["agriculture"])).content.decode()
    assert "防止返贫监测" in page
    # The agriculture desk reads which civil-affairs categories the family also has, not that monitoring
    # duplicates itself.
    assert "同时报送市民政局：低保" in page
    assert "重复" not in page
    client.force_login(world.users["civil_affairs_reviewer"])
    page = client.get(reverse("applications:filings", args=["civil_affairs"])).content.decode()
    assert "同时标识为防止返贫监测对象（市农业农村局）" in page
    client.force_login(world.users["town_clerk"])
    assert client.get(reverse("applications:filings", args=["agriculture"])).status_code == 403


def test_village_staff_file_on_the_familys_behalf(client, world):
    client.force_login(world.users["village_staff"])
    page = client.get(reverse("applications:intake", args=[world.household_a1.pk])).content.decode()
    assert '<option value="village" selected>村(居)委会协助申请</option>' in page
    assert client.get(reverse("applications:intake", args=[world.household_a2.pk])).status_code == 404


def test_workbench_query_count_does_not_grow_with_cases(client, world):

    from ..factories import HouseholdFactory, MemberFactory

    client.force_login(world.users["town_clerk"])
    accept(world)

    def add_rows():
        numbers = []
        for n in range(8):
            household = HouseholdFactory(village=world.village_a2, household_number=f"420281104202-7{n:03d}")
            MemberFactory(household=household, name=f"工作台{n}")
            numbers.append(accept(world, household=household).case_number)
        return numbers

    assert_flat_queries(lambda: client.get(reverse("applications:workbench")), add_rows)
