from datetime import date

import pytest

from daye_relief.errors import InvalidInput
from households.models import Household, Member
from households.services import households as services

from ..factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db


def member_data(**overrides):
    data = {
        "name": "柯小燕",
        "id_number": valid_id(date(1990, 3, 8), male=False),
        "relation": "spouse",
        "labor_capacity": "full",
    }
    data.update(overrides)
    return data


def test_birth_date_and_sex_come_from_the_id_number(world):
    number = valid_id(date(1990, 3, 8), male=False)
    member = services.member_create(
        household=world.household_a1,
        data=member_data(id_number=number),
        acting_user=world.users["town_clerk"],
    )
    member.refresh_from_db()
    assert member.birth_date == date(1990, 3, 8)
    assert member.sex == "female"


def test_second_entry_of_a_person_is_refused_naming_where_they_are_to_a_user_whose_scope_covers_it(world):
    existing = world.household_a2.members.get()  # 还地桥镇西畈村: in the town clerk's scope
    with pytest.raises(InvalidInput) as excinfo:
        services.member_create(
            household=world.household_a1,
            data=member_data(id_number=existing.id_number),
            acting_user=world.users["town_clerk"],
        )
    assert excinfo.value.code == "id_number_registered"
    message = excinfo.value.errors["id_number"][0]
    assert "还地桥镇西畈村" in message
    assert "户编号 420281104202-0001" in message
    assert existing.id_number not in message
    assert existing.masked_id_number in message
    assert existing.name not in message  # the name is masked too: 陈**
    assert "陈**" in message
    assert world.household_a1.members.count() == 1


@pytest.mark.parametrize(
    ("role", "where"),
    [("town_clerk", "household_b1"), ("village_staff", "household_b1"), ("village_staff", "household_a2")],
)
def test_second_entry_tells_a_user_of_another_town_or_village_only_whom_to_ask(world, role, where):
    existing = getattr(world, where).members.get()
    with pytest.raises(InvalidInput) as excinfo:
        services.member_create(
            household=world.household_a1,
            data=member_data(id_number=existing.id_number),
            acting_user=world.users[role],
        )
    assert excinfo.value.errors == {"id_number": ["该身份证号码已在其他家庭登记，请联系市民政局核实。"]}
    assert excinfo.value.code == "id_number_registered"


def test_person_in_an_inactive_household_member_row_may_be_entered_again(world):
    existing = world.household_b1.members.get()
    existing.is_active = False
    existing.save()
    member = services.member_create(
        household=world.household_a1,
        data=member_data(id_number=existing.id_number),
        acting_user=world.users["town_clerk"],
    )
    assert member.pk is not None


def test_database_refuses_a_duplicate_active_person_even_past_the_service(world):
    existing = world.household_b1.members.get()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(household=world.household_a1, id_number=existing.id_number, relation="spouse")


def test_a_household_has_one_applicant(world):
    with pytest.raises(InvalidInput) as excinfo:
        services.member_create(
            household=world.household_a1,
            data=member_data(relation="applicant"),
            acting_user=world.users["town_clerk"],
        )
    assert excinfo.value.errors["relation"] == ["该家庭已有申请人（柯大山），一个家庭只能有一名申请人。"]


def test_applicant_cannot_be_imprisoned(world):
    applicant = world.household_a1.members.get()
    with pytest.raises(InvalidInput) as excinfo:
        services.member_update(
            member=applicant, data={"imprisoned": True}, acting_user=world.users["town_clerk"]
        )
    assert excinfo.value.errors["imprisoned"] == ["服刑人员不能作为申请人。"]
    applicant.refresh_from_db()
    assert applicant.imprisoned is False


def test_disability_type_and_grade_go_together(world):
    with pytest.raises(InvalidInput) as excinfo:
        services.member_create(
            household=world.household_a1,
            data=member_data(disability_grade=2),
            acting_user=world.users["town_clerk"],
        )
    assert excinfo.value.errors["disability_type"] == ["残疾类别和残疾等级需同时填写或同时留空。"]


def test_household_numbers_follow_the_village_code(world):
    first = services.household_create(village=world.village_a2, hukou_type="rural", address="西畈村3组")
    second = services.household_create(village=world.village_a2, hukou_type="rural", address="西畈村4组")
    assert first.household_number == "420281104202-0002"
    assert second.household_number == "420281104202-0003"


def test_history_keeps_every_change(world):
    member = services.member_create(
        household=world.household_a1, data=member_data(), acting_user=world.users["town_clerk"]
    )
    services.member_update(member=member, data={"name": "柯晓燕"}, acting_user=world.users["town_clerk"])
    names = list(Member.history.filter(id=member.pk).order_by("history_date").values_list("name", flat=True))
    assert names == ["柯小燕", "柯晓燕"]
    assert Household.history.filter(id=world.household_a1.pk).exists()


def test_removing_a_member_keeps_the_row_and_its_history(world):
    # Whether an open case forbids the removal is the case side's rule (applications.services).
    spouse = services.member_create(
        household=world.household_a1, data=member_data(), acting_user=world.users["town_clerk"]
    )
    services.member_remove(member=spouse, reason="户籍迁出")
    spouse.refresh_from_db()
    assert spouse.is_active is False
    last = Member.history.filter(id=spouse.pk).latest("history_date")
    assert (last.is_active, last.history_change_reason) == (False, "户籍迁出")


def test_a_record_is_saved_on_its_own_household_and_never_through_another_households_member(world):
    from decimal import Decimal

    from households.models import Asset, Income

    ours = MemberFactory(household=world.household_a1, relation="spouse")
    theirs = MemberFactory(household=world.household_b1, relation="spouse")
    income = services.household_record_save(
        household=world.household_a1,
        record=Income(member=ours, kind="wages", annual_amount=Decimal("1200.00")),
    )
    assert list(Income.objects.filter(member__household=world.household_a1)) == [income]
    with pytest.raises(InvalidInput) as refused:
        services.household_record_save(
            household=world.household_a1,
            record=Income(member=theirs, kind="wages", annual_amount=Decimal("1")),
        )
    assert refused.value.field == "member"
    assert not Income.objects.filter(member=theirs).exists()
    other_asset = Asset.objects.filter(
        household=world.household_b1
    ).first() or services.household_record_save(
        household=world.household_b1, record=Asset(kind="deposit", value=Decimal("100.00"))
    )
    with pytest.raises(InvalidInput):
        services.household_record_delete(household=world.household_a1, record=other_asset)
    assert Asset.objects.filter(pk=other_asset.pk).exists()
    assert services.household_record_delete(household=world.household_a1, record=income) is True
    assert not Income.objects.filter(pk=income.pk).exists()
