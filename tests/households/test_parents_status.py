"""A minor's parents who are not in the household (issue 17 point 6): recorded on the member with the
evidence, shown on the household page, carried into the snapshot only when recorded, and read by 特困."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from eligibility.engine import evaluate
from eligibility.parameters import default_parameter_set
from eligibility.selectors import household_snapshot, household_snapshot_queryset
from eligibility.snapshot import validate_snapshot

from ..factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 1)


def _grandchild_form(**extra: str) -> dict[str, str]:
    return {
        "name": "柯小满",
        "id_number": valid_id(date(2026, 3, 1), male=False),
        "relation": "grandchild",
        "labor_capacity": "none",
        "lives_together": "on",
        "shares_finances": "on",
        "full_civil_capacity": "",
        **extra,
    }


def _tekun_names(household: Any) -> set[str]:
    data = household_snapshot(household_snapshot_queryset().get(pk=household.pk), as_of=AS_OF)
    result = evaluate(validate_snapshot(data), default_parameter_set())
    names = {m["ref"]: m["name"] for m in data["members"]}
    return {names[m.ref] for m in result.members if "tekun" in m.categories}


def test_a_clerk_records_the_parents_status_with_its_evidence_and_the_engine_reads_it(
    client: Any, world: Any
) -> None:
    household = world.household_a1
    applicant = household.members.get()
    applicant.birth_date = date(1950, 2, 1)
    applicant.id_number = valid_id(applicant.birth_date)
    applicant.labor_capacity = "partial"
    applicant.save()
    client.force_login(world.users["town_clerk"])
    create = reverse("households:member_create", args=[household.pk])
    form = client.get(create).content.decode()
    assert "父母抚养能力" in form
    assert "父母均已死亡、失踪或无抚养能力" in form

    # "Unable" without its evidence: refused, the field named, nothing saved.
    answer = client.post(create, _grandchild_form(parents_status="unable"))
    assert answer.status_code == 200
    assert "请选择对应的证明材料" in answer.content.decode()
    assert not household.members.filter(name="柯小满").exists()

    # Parents simply elsewhere (the default): the newborn is counted but is not 特困.
    client.post(create, _grandchild_form())
    grandchild = household.members.get(name="柯小满")
    assert grandchild.parents_status == "able"
    data = household_snapshot(household_snapshot_queryset().get(pk=household.pk), as_of=AS_OF)
    assert all("parents_status" not in m for m in data["members"])  # absent means able: v1 as before
    assert _tekun_names(household) == {applicant.name}

    # Both parents dead, with the death certificates: the grandchild is 特困, the page says why.
    edit = reverse("households:member_edit", args=[household.pk, grandchild.pk])
    answer = client.post(
        edit,
        _grandchild_form(
            id_number=grandchild.id_number, parents_status="unable", parents_evidence="death_certificate"
        ),
        follow=True,
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "父母均已死亡、失踪或无抚养能力（死亡证明或户籍注销证明）" in page
    grandchild.refresh_from_db()
    assert (grandchild.parents_status, grandchild.parents_evidence) == ("unable", "death_certificate")
    data = household_snapshot(household_snapshot_queryset().get(pk=household.pk), as_of=AS_OF)
    assert [m.get("parents_status") for m in data["members"]] == [None, "unable"]
    assert _tekun_names(household) == {applicant.name, "柯小满"}
    # The history names the change.
    history = client.get(reverse("households:history", args=[household.pk])).content.decode()
    assert "父母抚养能力" in history


def test_evidence_without_the_status_is_refused(client: Any, world: Any) -> None:
    household = world.household_a1
    client.force_login(world.users["town_clerk"])
    answer = client.post(
        reverse("households:member_create", args=[household.pk]),
        _grandchild_form(parents_evidence="court_declaration"),
    )
    assert "请将父母抚养能力选为“父母均已死亡、失踪或无抚养能力”" in answer.content.decode()


def test_the_api_takes_and_answers_the_parents_status(client: Any, world: Any) -> None:
    household = world.household_a1
    member = MemberFactory(household=household, relation="grandchild", birth_date=date(2020, 1, 1))
    client.force_login(world.users["town_clerk"])
    url = f"/api/v1/members/{member.pk}/"
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.json()["parents_status"] == "able"
    answer = client.patch(url, {"parents_status": "sometimes"}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["parents_status"] == ["“sometimes” 不是合法选项。"]
    answer = client.patch(
        url,
        {"parents_status": "unable", "parents_evidence": "police_missing_proof"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["parents_evidence"] == "police_missing_proof"
