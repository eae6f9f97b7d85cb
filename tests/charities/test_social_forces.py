"""Social forces (社会力量, DESIGN §3.8, issue 11 point 5): the civil-affairs bureau registers projects and
volunteers; a town or village records a household's need; a need is matched only to the same kind in the
household's town; the help given is an assistance record on the member, shown on the household's page and
counted by `social_help_given`; every page by role and scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from accounts.glossary import Role
from charities import services
from charities.models import HouseholdNeed, NeedMatch, SocialResource
from charities.selectors import match_candidates, open_needs, social_help_given
from daye_relief.errors import DomainError, InvalidTransition
from households.models import AssistanceRecord
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def register(world: Any, name: str, need_kind: str, towns: list[Any], **extra: Any) -> SocialResource:
    data = {
        "kind": "project",
        "name": name,
        "organization": "大冶市慈善总会",
        "need_kind": need_kind,
        "offer": "每学期助学金",
        "contact": "王老师",
        "active": True,
        **extra,
    }
    return services.social_resource_register(
        data=data, towns=towns, acting_user=world.users["civil_affairs_reviewer"]
    )


def test_reviewer_registers_a_project_through_the_page(client: Any, world: Any) -> None:
    client.force_login(world.users["civil_affairs_reviewer"])
    answer = client.post(
        reverse("charities:resource_create"),
        {
            "kind": "volunteer",
            "name": "东湖志愿服务队",
            "organization": "团市委",
            "need_kind": "care",
            "offer": "每周上门照料独居老人",
            "towns": [world.town_a.pk],
            "contact": "李队长",
            "active": "on",
        },
    )
    assert answer.status_code == 302
    resource = SocialResource.objects.get()
    assert list(resource.towns.all()) == [world.town_a]
    assert {h.history_user for h in resource.history.all()} == {world.users["civil_affairs_reviewer"]}
    page = client.get(reverse("charities:resources")).content.decode()
    assert "东湖志愿服务队" in page
    assert "生活照料" in page
    assert "还地桥镇" in page
    # No town: refused beside the field.
    answer = client.post(
        reverse("charities:resource_create"),
        {"kind": "project", "name": "空", "need_kind": "care", "offer": "x", "active": "on"},
    )
    assert answer.status_code == 200
    assert SocialResource.objects.count() == 1


def test_need_matched_to_the_same_kind_and_area_then_help_given(client: Any, world: Any) -> None:
    household = world.household_a1
    member = household.members.get()
    study = register(world, "春蕾助学", "education", [world.town_a])
    register(world, "保安助学", "education", [world.town_b])  # another town
    register(world, "东湖照料", "care", [world.town_a])  # another kind
    register(world, "停办项目", "education", [world.town_a], active=False)
    client.force_login(world.users["village_staff"])
    answer = client.post(
        reverse("charities:need_create", args=[household.pk]),
        {"member": member.pk, "kind": "education", "description": "孙子上初中，学费困难"},
    )
    assert answer.status_code == 302
    need = HouseholdNeed.objects.get()
    assert (need.status, need.recorded_by) == ("open", world.users["village_staff"])
    assert list(match_candidates(need=need)) == [study]
    assert list(open_needs(user=world.users["town_clerk"])) == [need]

    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("charities:need", args=[need.pk])).content.decode()
    assert "春蕾助学" in page
    assert "保安助学" not in page
    assert "东湖照料" not in page
    assert "停办项目" not in page
    assert (
        client.post(reverse("charities:need_match", args=[need.pk]), {"resource": study.pk}).status_code
        == 302
    )
    match = NeedMatch.objects.get()
    need.refresh_from_db()
    assert need.status == "matched"
    assert not match_candidates(need=need).exists()

    answer = client.post(
        reverse("charities:help_record", args=[match.pk]),
        {"received_on": "2026-03-01", "amount": "1000", "note": "春季学期助学金"},
    )
    assert answer.status_code == 302
    match.refresh_from_db()
    need.refresh_from_db()
    assert (match.status, need.status) == ("helped", "met")
    record = AssistanceRecord.objects.get()
    assert (record.kind, record.source, record.member, record.amount) == (
        "social_help",
        "social_forces",
        member,
        Decimal("1000.00"),
    )
    assert record.note == "春蕾助学：春季学期助学金"
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "社会力量帮扶" in page
    assert "春蕾助学：春季学期助学金" in page
    assert "春蕾助学：已帮扶" in page
    assert "2026年 · 合计 1000.00 元" in page
    # Counted for the dashboards, in scope and period.
    assert (
        social_help_given(
            user=world.users["town_clerk"], start=date(2026, 1, 1), end=date(2026, 12, 31)
        ).count()
        == 1
    )
    assert (
        social_help_given(
            user=world.users["civil_affairs_reviewer"], start=date(2026, 3, 1), end=date(2026, 3, 1)
        ).count()
        == 1
    )
    assert not social_help_given(
        user=world.users["town_clerk"], start=date(2026, 3, 2), end=date(2026, 12, 31)
    ).exists()
    clerk_b = user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")
    assert not social_help_given(user=clerk_b, start=date(2026, 1, 1), end=date(2026, 12, 31)).exists()
    assert not social_help_given(
        user=world.users["department_user"], start=date(2026, 1, 1), end=date(2026, 12, 31)
    ).exists()
    # Done is done.
    with pytest.raises(InvalidTransition):
        services.help_given_record(
            match=match,
            received_on=date(2026, 3, 2),
            amount=None,
            note="",
            acting_user=world.users["town_clerk"],
        )
    with pytest.raises(InvalidTransition):
        services.need_match(need=need, resource=study, acting_user=world.users["town_clerk"])


def test_matching_refuses_another_kind_another_town_and_a_second_match(world: Any) -> None:
    clerk = world.users["town_clerk"]
    need = services.need_record(
        household=world.household_a1, member=None, kind="housing", description="屋顶漏雨", acting_user=clerk
    )
    other_kind = register(world, "心理关爱", "psychological", [world.town_a])
    other_town = register(world, "保安修缮", "housing", [world.town_b])
    mine = register(world, "安居工程", "housing", [world.town_a, world.town_b])
    for resource, code in ((other_kind, "kind_mismatch"), (other_town, "area_mismatch")):
        with pytest.raises(DomainError) as refused:
            services.need_match(need=need, resource=resource, acting_user=clerk)
        assert refused.value.code == code
    services.need_match(need=need, resource=mine, acting_user=clerk)
    with pytest.raises(DomainError) as refused:
        services.need_match(need=need, resource=mine, acting_user=clerk)
    assert refused.value.code == "already_matched"
    services.need_close(need=need, acting_user=clerk)
    assert NeedMatch.objects.get().status == "cancelled"


def test_pages_by_role_and_scope(client: Any, world: Any) -> None:
    household = world.household_a1
    need = services.need_record(
        household=household,
        member=None,
        kind="goods",
        description="冬季棉被",
        acting_user=world.users["town_clerk"],
    )
    resource = register(world, "冬衣暖心", "goods", [world.town_a])
    match = services.need_match(need=need, resource=resource, acting_user=world.users["town_clerk"])
    clerk_b = user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")
    village_b = user_with_role(Role.VILLAGE_STAFF, world.village_b1, "village_b")
    urls = {
        "resources": reverse("charities:resources"),
        "needs": reverse("charities:needs"),
        "need": reverse("charities:need", args=[need.pk]),
        "create_need": reverse("charities:need_create", args=[household.pk]),
        "help": reverse("charities:help_record", args=[match.pk]),
        "register": reverse("charities:resource_create"),
    }
    expected = {
        # user: resources, needs, need, create need, help, register
        world.users["civil_affairs_reviewer"]: (200, 200, 200, 403, 200, 200),
        world.users["agri_bureau_reviewer"]: (200, 200, 200, 403, 403, 403),
        world.users["town_clerk"]: (200, 200, 200, 200, 200, 403),
        world.users["town_agri_officer"]: (200, 200, 200, 200, 200, 403),
        world.users["task_force"]: (200, 200, 200, 403, 403, 403),
        world.users["village_staff"]: (200, 200, 200, 200, 403, 403),
        clerk_b: (200, 200, 404, 404, 404, 403),
        village_b: (200, 200, 404, 404, 404, 403),
        world.users["department_user"]: (403, 403, 404, 404, 404, 403),
        world.users["administrator"]: (403, 403, 404, 404, 404, 403),
    }
    for user, codes in expected.items():
        client.force_login(user)
        got = tuple(
            client.get(urls[key]).status_code
            for key in ("resources", "needs", "need", "create_need", "help", "register")
        )
        assert got == codes, user.username
    # A town sees the projects serving it; another town's clerk neither those nor the need.
    client.force_login(clerk_b)
    assert "冬衣暖心" not in client.get(urls["resources"]).content.decode()
    assert "冬季棉被" not in client.get(urls["needs"]).content.decode()
    client.force_login(village_b)
    assert "冬衣暖心" not in client.get(urls["resources"]).content.decode()
    client.force_login(world.users["village_staff"])
    assert "冬衣暖心" in client.get(urls["resources"]).content.decode()
    client.logout()
    for url in urls.values():
        assert client.get(url).status_code == 302  # to the login page; nothing public


def test_lists_take_the_same_number_of_queries_for_3_and_30_rows(client: Any, world: Any) -> None:
    from tests.queries import assert_flat_queries

    clerk = world.users["town_clerk"]
    client.force_login(clerk)

    def add(first: int, n: int) -> list[str]:
        for i in range(first, first + n):
            resource = register(world, f"项目{i}号", "goods", [world.town_a, world.town_b])
            need = services.need_record(
                household=world.household_a1,
                member=None,
                kind="goods",
                description=f"需求{i}号",
                acting_user=clerk,
            )
            services.need_match(need=need, resource=resource, acting_user=clerk)
        return [f"项目{first + n - 1}号"]

    add(0, 3)
    assert_flat_queries(lambda: client.get(reverse("charities:resources")), lambda: add(3, 27))
    assert_flat_queries(lambda: client.get(reverse("charities:needs")), lambda: add(30, 1) and ["需求30号"])
