"""An enrolled household's member is never marked as serving a sentence or as no longer living with the
family by an edit (page or API): that is a member change of an adjustment case (DESIGN §3.7)."""

from __future__ import annotations

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from applications.services import MemberChange, adjustment_open
from households.forms.households import MemberForm
from households.models import Enrollment, Member

pytestmark = pytest.mark.django_db


def _enroll(household):
    Enrollment.objects.create(household=household, category="dibao", start_date=date(2025, 1, 1))


def _form_data(member: Member, **changes) -> dict:
    data = {k: v for k, v in model_to_dict(member, fields=MemberForm.Meta.fields).items() if v is not None}
    data.update(changes)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def _spouse(household) -> Member:
    from tests.factories import MemberFactory

    return MemberFactory(household=household, name="柯大嫂", relation="spouse")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"imprisoned": True}, "imprisoned"),
        ({"lives_together": False, "shares_finances": False}, "lives_together"),
    ],
)
def test_the_member_page_refuses_a_leaving_edit_on_an_enrolled_household(client, world, changes, field):
    household = world.household_a1
    _enroll(household)
    spouse = _spouse(household)
    client.force_login(world.users["town_clerk"])
    url = reverse("households:member_edit", args=[household.pk, spouse.pk])
    response = client.post(url, _form_data(spouse, **changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "须通过动态调整办理（办理成员变更（动态调整））" in page
    spouse.refresh_from_db()
    assert (spouse.imprisoned, spouse.lives_together, spouse.shares_finances) == (False, True, True)
    # Other edits of the same member still save.
    saved = client.post(url, _form_data(spouse, phone="13800000000"))
    assert saved.status_code == 302
    spouse.refresh_from_db()
    assert spouse.phone == "13800000000"


def test_the_api_refuses_it_with_its_code(client, world):
    household = world.household_a1
    _enroll(household)
    spouse = _spouse(household)
    client.force_login(world.users["town_clerk"])
    response = client.patch(
        f"/api/v1/members/{spouse.pk}/", {"imprisoned": True}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "enrolled_use_adjustment"
    assert "办理成员变更（动态调整）" in body["message"]
    assert not Member.objects.get(pk=spouse.pk).imprisoned


def test_a_household_not_enrolled_edits_freely(client, world):
    household = world.household_a2
    spouse = _spouse(household)
    client.force_login(world.users["town_clerk"])
    response = client.patch(
        f"/api/v1/members/{spouse.pk}/",
        {"lives_together": False, "shares_finances": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    spouse.refresh_from_db()
    assert (spouse.lives_together, spouse.shares_finances) == (False, False)


def test_an_ended_enrollment_no_longer_guards(client, world):
    household = world.household_a1
    Enrollment.objects.create(
        household=household, category="dibao", start_date=date(2024, 1, 1), end_date=date(2025, 1, 1)
    )
    spouse = _spouse(household)
    client.force_login(world.users["town_clerk"])
    response = client.patch(
        f"/api/v1/members/{spouse.pk}/", {"imprisoned": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["imprisoned"] is True
    spouse.refresh_from_db()
    assert spouse.imprisoned


def test_the_adjustments_own_imprisonment_still_marks_the_member(world):
    household = world.household_a1
    _enroll(household)
    spouse = _spouse(household)
    case = adjustment_open(
        household=household,
        trigger="member_change",
        note="配偶服刑",
        opened_on=date(2025, 10, 9),
        acting_user=world.users["town_clerk"],
        member_change=MemberChange(
            kind="imprisonment", member=spouse, happened_on=date(2025, 10, 1), evidence="判决书"
        ),
    )
    assert case.case_number
    assert Member.objects.get(pk=spouse.pk).imprisoned
