"""Every role against every household view and endpoint: in scope allowed, out of scope 403/404, no data."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOUSEHOLDS = ("a1", "a2", "b1")
NAMES = {"a1": "柯大山", "a2": "陈小河", "b1": "尹老松"}
# What each role may read and change (DESIGN §2): town roles their town, village staff their village,
# the two bureaus the whole city (read only); the administrator and a department user no household.
READS = {
    "town_clerk": {"a1", "a2"},
    "town_agri_officer": {"a1", "a2"},
    "task_force": {"a1", "a2"},
    "village_staff": {"a1"},
    "civil_affairs_reviewer": {"a1", "a2", "b1"},
    "agri_bureau_reviewer": {"a1", "a2", "b1"},
    "department_user": set(),
    "administrator": set(),
}
WRITES = {"town_clerk": {"a1", "a2"}, "village_staff": {"a1"}}
ROLES = sorted(READS)


def household(world, key):
    return getattr(world, f"household_{key}")


def client_for(client, world, role):
    client.force_login(world.users[role])
    return client


def expected_read(role, key):
    return 200 if key in READS[role] else 404


def expected_write(role, key):
    if key not in READS[role]:
        return 404
    return 200 if key in WRITES.get(role, set()) else 403


def assert_no_data(response, key):
    assert NAMES[key] not in response.content.decode()
    assert household_number_of(key) not in response.content.decode()


def household_number_of(key):
    return {"a1": "420281104201-0001", "a2": "420281104202-0001", "b1": "420281101201-0001"}[key]


@pytest.mark.parametrize("role", ROLES)
def test_household_list_shows_exactly_the_households_in_scope(client, world, role):
    response = client_for(client, world, role).get(reverse("households:list"))
    if not READS[role]:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
    for key in HOUSEHOLDS:
        assert (NAMES[key] in response.content.decode()) == (key in READS[role]), key


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", HOUSEHOLDS)
def test_household_page(client, world, role, key):
    response = client_for(client, world, role).get(
        reverse("households:detail", args=[household(world, key).pk])
    )
    assert response.status_code == expected_read(role, key)
    if response.status_code != 200:
        assert_no_data(response, key)
    else:
        assert NAMES[key] in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", HOUSEHOLDS)
@pytest.mark.parametrize("view", ["households:edit", "households:member_create"])
def test_household_forms(client, world, role, key, view):
    response = client_for(client, world, role).get(reverse(view, args=[household(world, key).pk]))
    assert response.status_code == expected_write(role, key)
    if response.status_code != 200:
        assert_no_data(response, key)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", HOUSEHOLDS)
def test_member_edit_by_guessed_url(client, world, role, key):
    target = household(world, key)
    member = target.members.get()
    response = client_for(client, world, role).post(
        reverse("households:member_edit", args=[target.pk, member.pk]),
        {"name": "改名", "id_number": member.id_number, "relation": "applicant", "labor_capacity": "full"},
    )
    allowed = expected_write(role, key) == 200
    member.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert member.name == "改名"
    else:
        assert response.status_code in (403, 404)
        assert member.name == NAMES[key]


@pytest.mark.parametrize("role", ROLES)
def test_api_list_shows_exactly_the_households_in_scope(client, world, role):
    response = client_for(client, world, role).get("/api/v1/households/")
    assert response.status_code == 200
    numbers = {row["household_number"] for row in response.json()["results"]}
    assert numbers == {household_number_of(key) for key in READS[role]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", HOUSEHOLDS)
def test_api_detail(client, world, role, key):
    response = client_for(client, world, role).get(f"/api/v1/households/{household(world, key).pk}/")
    assert response.status_code == expected_read(role, key)
    if response.status_code != 200:
        assert_no_data(response, key)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", HOUSEHOLDS)
def test_api_update(client, world, role, key):
    target = household(world, key)
    response = client_for(client, world, role).patch(
        f"/api/v1/households/{target.pk}/", {"address": "新地址"}, content_type="application/json"
    )
    assert response.status_code == expected_write(role, key)
    target.refresh_from_db()
    assert (target.address == "新地址") == (response.status_code == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", HOUSEHOLDS)
def test_api_member_detail(client, world, role, key):
    member = household(world, key).members.get()
    response = client_for(client, world, role).get(f"/api/v1/members/{member.pk}/")
    assert response.status_code == expected_read(role, key)
    if response.status_code != 200:
        assert_no_data(response, key)


@pytest.mark.parametrize("role", ROLES)
def test_api_create_household_only_in_scope(client, world, role):
    c = client_for(client, world, role)
    for village, key in ((world.village_a1, "a1"), (world.village_b1, "b1")):
        response = c.post(
            "/api/v1/households/",
            {"village": village.pk, "hukou_type": "rural", "address": "1组"},
            content_type="application/json",
        )
        # A village out of the user's scope answers as one that does not exist (400, no such object);
        # one the user may read but not write to is refused (403).
        expected = 201 if key in WRITES.get(role, set()) else 403 if key in READS[role] else 400
        assert response.status_code == expected, (village, response.content)


def test_anonymous_gets_the_login_page_or_403_and_no_data(client, world):
    response = client.get(reverse("households:detail", args=[world.household_a1.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    api = client.get("/api/v1/households/")
    assert api.status_code == 403
    assert NAMES["a1"] not in api.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_id_numbers_are_masked_for_roles_that_do_not_need_them(client, world, role):
    if not READS[role] & {"a1"}:
        return
    member = world.household_a1.members.get()
    page = client_for(client, world, role).get(reverse("households:detail", args=[world.household_a1.pk]))
    api = client.get(f"/api/v1/members/{member.pk}/").json()
    full = role in {"town_clerk", "town_agri_officer", "civil_affairs_reviewer", "agri_bureau_reviewer"}
    assert (member.id_number in page.content.decode()) == full
    assert (member.masked_id_number in page.content.decode()) == (not full)
    assert api["id_number"] == (member.id_number if full else member.masked_id_number)
