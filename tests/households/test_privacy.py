"""What a user is told about people outside their scope, and what the household API lets them name."""

from datetime import date

import pytest
from django.urls import reverse

from households.models import Member

from ..factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db

REGISTERED_ELSEWHERE = "该身份证号码已在其他家庭登记，请联系市民政局核实。"


def member_post(**overrides):
    data = {"name": "尹小松", "relation": "spouse", "labor_capacity": "full", "marital_status": "married"}
    data.update(overrides)
    return data


# Point 12: an ID registered in another town or village ------------------------------------------------


def test_village_staff_adding_a_person_registered_in_another_town_is_not_told_where(client, world):
    existing = world.household_b1.members.get()
    client.force_login(world.users["village_staff"])
    response = client.post(
        reverse("households:member_create", args=[world.household_a1.pk]),
        member_post(id_number=existing.id_number),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert REGISTERED_ELSEWHERE in page
    for secret in ("保安镇", "沼山村", "420281101201-0001", "尹**", existing.masked_id_number):
        assert secret not in page


def test_town_clerk_is_told_where_a_person_of_their_own_town_is_registered(client, world):
    existing = world.household_a2.members.get()
    client.force_login(world.users["town_clerk"])
    response = client.post(
        reverse("households:member_create", args=[world.household_a1.pk]),
        member_post(id_number=existing.id_number),
    )
    page = response.content.decode()
    assert "已登记在还地桥镇西畈村户编号 420281104202-0001 的家庭中（陈**）" in page


def test_api_answers_the_same_refusal_with_a_code(client, world):
    existing = world.household_b1.members.get()
    client.force_login(world.users["town_clerk"])
    response = client.post(
        "/api/v1/members/",
        {
            "household": world.household_a1.pk,
            "name": "尹小松",
            "id_number": existing.id_number,
            "relation": "spouse",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "id_number_registered",
        "message": REGISTERED_ELSEWHERE,
        "field": "id_number",
        "errors": {"id_number": [REGISTERED_ELSEWHERE]},
    }


def test_member_edit_form_never_sends_village_staff_the_full_id_and_blank_keeps_it(client, world):
    member = world.household_a1.members.get()
    client.force_login(world.users["village_staff"])
    url = reverse("households:member_edit", args=[world.household_a1.pk, member.pk])
    page = client.get(url).content.decode()
    assert member.id_number not in page
    assert f"已登记 {member.masked_id_number}" in page
    assert 'name="id_number"' in page
    response = client.post(
        url, {"name": "柯大山", "id_number": "", "relation": "applicant", "labor_capacity": "none"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.labor_capacity == "none"
    assert member.id_number == Member.history.filter(id=member.pk).earliest("history_date").id_number


def test_village_staff_may_correct_an_id_by_typing_the_whole_new_number(client, world):
    member = world.household_a1.members.get()
    new_number = valid_id(date(1961, 2, 3))
    client.force_login(world.users["village_staff"])
    client.post(
        reverse("households:member_edit", args=[world.household_a1.pk, member.pk]),
        {"name": "柯大山", "id_number": new_number, "relation": "applicant", "labor_capacity": "full"},
    )
    member.refresh_from_db()
    assert (member.id_number, member.birth_date) == (new_number, date(1961, 2, 3))


def test_member_edit_form_prefills_the_full_id_for_the_town_clerk(client, world):
    member = world.household_a1.members.get()
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("households:member_edit", args=[world.household_a1.pk, member.pk]))
    assert f'value="{member.id_number}"' in page.content.decode()


def test_api_update_with_the_masked_number_keeps_the_stored_one(client, world):
    member = world.household_a1.members.get()
    client.force_login(world.users["village_staff"])
    shown = client.get(f"/api/v1/members/{member.pk}/").json()
    assert shown["id_number"] == member.masked_id_number
    shown["labor_capacity"] = "partial"
    response = client.put(f"/api/v1/members/{member.pk}/", shown, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["id_number"] == member.masked_id_number
    stored = member.id_number
    member.refresh_from_db()
    assert (member.id_number, member.labor_capacity) == (stored, "partial")


# Point 13: removed members and out-of-scope ids in the API --------------------------------------------


def test_removed_members_leave_the_household_api(client, world):
    removed = MemberFactory(household=world.household_a1, relation="spouse", name="柯移出", is_active=False)
    client.force_login(world.users["town_clerk"])
    detail = client.get(f"/api/v1/households/{world.household_a1.pk}/").json()
    listing = client.get("/api/v1/households/").json()["results"]
    members = client.get("/api/v1/members/", {"household": world.household_a1.pk}).json()["results"]
    assert [m["name"] for m in detail["members"]] == ["柯大山"]
    assert "柯移出" not in str(listing)
    assert [m["name"] for m in members] == ["柯大山"]
    assert client.get(f"/api/v1/members/{removed.pk}/").status_code == 404
    # and after a write through the API, too
    patched = client.patch(
        f"/api/v1/households/{world.household_a1.pk}/",
        {"address": "东湖村2组"},
        content_type="application/json",
    ).json()
    assert [m["name"] for m in patched["members"]] == ["柯大山"]


def _same_answer(first, second):
    assert first.status_code == second.status_code
    body_a = first.content.decode().replace(str(first.probe), "ID")
    body_b = second.content.decode().replace(str(second.probe), "ID")
    assert body_a == body_b


def _get(client, url, params, probe):
    response = client.get(url, params)
    response.probe = probe
    return response


def _post(client, url, data, probe):
    response = client.post(url, data, content_type="application/json")
    response.probe = probe
    return response


NONEXISTENT = 987654


@pytest.mark.parametrize("role", ["village_staff", "town_clerk"])
def test_an_out_of_scope_household_in_a_filter_answers_as_a_nonexistent_one(client, world, role):
    client.force_login(world.users[role])
    out = world.household_b1.pk
    first = _get(client, "/api/v1/members/", {"household": out}, out)
    second = _get(client, "/api/v1/members/", {"household": NONEXISTENT}, NONEXISTENT)
    assert first.status_code == 400
    assert "尹老松" not in first.content.decode()
    _same_answer(first, second)


@pytest.mark.parametrize("role", ["village_staff", "town_clerk"])
def test_an_out_of_scope_village_in_a_filter_answers_as_a_nonexistent_one(client, world, role):
    client.force_login(world.users[role])
    out = world.village_b1.pk
    first = _get(client, "/api/v1/households/", {"village": out}, out)
    second = _get(client, "/api/v1/households/", {"village": NONEXISTENT}, NONEXISTENT)
    assert first.status_code == 400
    _same_answer(first, second)
    assert client.get("/api/v1/households/", {"village": world.village_a1.pk}).status_code == 200


def test_an_out_of_scope_household_in_a_post_answers_as_a_nonexistent_one(client, world):
    client.force_login(world.users["village_staff"])
    data = {"name": "张三", "id_number": valid_id(), "relation": "spouse"}
    out = world.household_a2.pk  # same town, another village
    first = _post(client, "/api/v1/members/", {**data, "household": out}, out)
    second = _post(client, "/api/v1/members/", {**data, "household": NONEXISTENT}, NONEXISTENT)
    assert first.status_code == 400
    _same_answer(first, second)
    assert not Member.objects.filter(name="张三").exists()


def test_an_out_of_scope_village_in_a_household_post_answers_as_a_nonexistent_one(client, world):
    client.force_login(world.users["town_clerk"])
    data = {"hukou_type": "rural", "address": "1组"}
    out = world.village_b1.pk
    first = _post(client, "/api/v1/households/", {**data, "village": out}, out)
    second = _post(client, "/api/v1/households/", {**data, "village": NONEXISTENT}, NONEXISTENT)
    assert first.status_code == 400
    _same_answer(first, second)


# Point 25: the household page's 移出 asks the case side first -------------------------------------------


def test_remove_button_refuses_the_applicant_of_a_running_case_and_removes_others(client, world):
    from ..applications.cases import accept

    application = accept(world)
    spouse = MemberFactory(household=world.household_a1, relation="spouse", name="柯二娘")
    client.force_login(world.users["town_clerk"])
    detail = reverse("households:detail", args=[world.household_a1.pk])
    assert (
        reverse("household_member_remove", args=[world.household_a1.pk, spouse.pk])
        in client.get(detail).content.decode()
    )
    refused = client.post(
        reverse("household_member_remove", args=[world.household_a1.pk, application.applicant.pk]),
        follow=True,
    ).content.decode()
    assert f"该成员是正在办理的案件（{application.case_number}" in refused
    assert Member.objects.get(pk=application.applicant.pk).is_active
    done = client.post(
        reverse("household_member_remove", args=[world.household_a1.pk, spouse.pk]),
        {"reason": "户籍迁出"},
        follow=True,
    ).content.decode()
    assert "已将 柯二娘 移出本户" in done
    assert not Member.objects.get(pk=spouse.pk).is_active
    assert Member.history.filter(id=spouse.pk).latest("history_date").history_change_reason == "户籍迁出"


@pytest.mark.parametrize(("role", "status"), [("village_staff", 404), ("town_agri_officer", 403)])
def test_remove_button_keeps_the_household_scope(client, world, role, status):
    member = world.household_a2.members.get()  # 西畈村: the town's, not 东湖村's village staff's
    client.force_login(world.users[role])
    response = client.post(reverse("household_member_remove", args=[world.household_a2.pk, member.pk]))
    assert response.status_code == status
    assert Member.objects.get(pk=member.pk).is_active
