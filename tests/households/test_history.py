"""The household's change history page (point 17 of issue 8)."""

from datetime import date

import pytest
from django.urls import reverse

from households.models import Asset, Income
from households.services import households as services

from ..factories import valid_id
from ..queries import assert_flat_queries

pytestmark = pytest.mark.django_db


def url(household):
    return reverse("households:history", args=[household.pk])


def make_changes(client, world):
    """A clerk edits the household, adds a member, changes her, records an income and an asset."""
    household = world.household_a1
    client.force_login(world.users["town_clerk"])
    client.post(
        reverse("households:edit", args=[household.pk]),
        {
            "village": world.village_a1.pk,
            "hukou_type": "urban",
            "address": "东湖村9组",
            "phone": "",
            "note": "",
        },
    )
    old_id = valid_id(date(1990, 3, 8), male=False)
    client.post(
        reverse("households:member_create", args=[household.pk]),
        {"name": "柯小燕", "id_number": old_id, "relation": "spouse", "labor_capacity": "full"},
    )
    member = household.members.get(name="柯小燕")
    new_id = valid_id(date(1990, 3, 9), male=False)
    client.post(
        reverse("households:member_edit", args=[household.pk, member.pk]),
        {"name": "柯晓燕", "id_number": new_id, "relation": "spouse", "labor_capacity": "partial"},
    )
    client.post(
        reverse("households:record_create", args=[household.pk, "income"]),
        {"member": member.pk, "kind": "wages", "annual_amount": "12000"},
    )
    income = Income.objects.get(member=member)
    client.post(
        reverse("households:record_edit", args=[household.pk, "income", income.pk]),
        {"member": member.pk, "kind": "wages", "annual_amount": "15000.50"},
    )
    client.post(
        reverse("households:record_create", args=[household.pk, "asset"]), {"kind": "vehicle", "value": "1"}
    )
    asset = Asset.objects.get(household=household)
    client.post(reverse("households:record_delete", args=[household.pk, "asset", asset.pk]))
    services.member_remove(member=member, reason="户籍迁出")
    return old_id, new_id


def test_history_page_shows_who_changed_which_field_from_what_to_what(client, world):
    old_id, new_id = make_changes(client, world)
    response = client.get(url(world.household_a1))
    assert response.status_code == 200
    page = response.content.decode()
    clerk = str(world.users["town_clerk"])
    assert clerk in page
    # household fields, with Chinese labels and choice labels
    assert "户籍类型：</span><del>农村户籍</del> → 城镇户籍" in page
    assert "家庭住址：</span><del>" in page
    assert "→ 东湖村9组" in page
    # member: name, ID (the clerk may see it in full), choices
    assert "姓名：</span><del>柯小燕</del> → 柯晓燕" in page
    assert f"身份证号码：</span><del>{old_id}</del> → {new_id}" in page
    assert "劳动能力：</span><del>有劳动能力</del> → 部分丧失劳动能力" in page
    # income, by the member's name; money with two decimals
    assert "收入（柯晓燕 工资性收入）" in page
    assert "近12个月金额(元)：</span><del>12000.00</del> → 15500.50" not in page
    assert "近12个月金额(元)：</span><del>12000.00</del> → 15000.50" in page
    # an asset added, then deleted; a member removed with its reason
    assert "财产（机动车辆）" in page
    assert '<td class="meta">删除</td>' in page
    assert '<td class="meta">移出</td>' in page
    assert "原因：户籍迁出" in page


def test_history_masks_id_numbers_for_roles_that_see_them_masked(client, world):
    old_id, new_id = make_changes(client, world)
    client.force_login(world.users["village_staff"])
    page = client.get(url(world.household_a1)).content.decode()
    assert "柯晓燕" in page
    assert old_id not in page
    assert new_id not in page
    assert f"{old_id[:6]}********{old_id[-4:]}" in page


def test_reviewer_reads_the_history_of_any_household_of_the_city(client, world):
    make_changes(client, world)
    client.force_login(world.users["civil_affairs_reviewer"])
    assert "姓名：</span><del>柯小燕</del> → 柯晓燕" in client.get(url(world.household_a1)).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("village_staff", 404), ("town_clerk", 404), ("department_user", 404), ("civil_affairs_reviewer", 200)],
)
def test_history_of_a_household_out_of_scope_is_not_found(client, world, role, status):
    client.force_login(world.users[role])
    response = client.get(url(world.household_b1))
    assert response.status_code == status
    if status == 404:
        assert "尹老松" not in response.content.decode()


def test_household_page_links_to_its_history(client, world):
    client.force_login(world.users["village_staff"])
    page = client.get(reverse("households:detail", args=[world.household_a1.pk])).content.decode()
    assert f'href="{url(world.household_a1)}"' in page


def test_history_query_count_does_not_grow_with_changes(client, world):
    client.force_login(world.users["town_clerk"])

    def add_rows():
        make_changes(client, world)
        for n in range(10):
            services.household_update(household=world.household_a1, data={"address": f"东湖村{n}组"})
        return ["柯晓燕", "户籍迁出", "东湖村0组", "东湖村9组", "15000.50"]

    assert_flat_queries(lambda: client.get(url(world.household_a1)), add_rows)
