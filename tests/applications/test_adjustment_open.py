"""Opening an adjustment case (动态调整, DESIGN §3.7): the entry point monitoring calls."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from applications.glossary import Kind, Stage
from applications.services import MemberChange, adjustment_open
from daye_relief.errors import DomainError, InvalidInput
from households.models import Member
from households.services.enrollments import enrollment_start

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db

OPENED = date(2025, 10, 9)


def enroll(world, household=None, category="dibao", amount=Decimal("430.00"), member=None):
    household = household or world.household_a1
    return enrollment_start(
        household=household,
        category=category,
        member=member,
        start=date(2025, 3, 1),
        monthly_amount=amount,
        acting_user=world.users["town_clerk"],
    )


def test_refuses_a_household_not_enrolled(world):
    with pytest.raises(DomainError) as refused:
        adjustment_open(
            household=world.household_a1,
            trigger="request",
            note="家庭申请调整。",
            opened_on=OPENED,
            acting_user=world.users["town_clerk"],
        )
    assert refused.value.code == "not_enrolled"
    assert "没有纳入" in refused.value.message


def test_opens_an_accepted_adjustment_with_deadlines_and_source(world):
    enroll(world)
    case = adjustment_open(
        household=world.household_a1,
        trigger="warning",
        note="医保自付费用预警，需核实。",
        opened_on=OPENED,
        acting_user=world.users["town_clerk"],
        source="warning:123",
    )
    assert (case.kind, case.trigger, case.source, case.stage) == (
        Kind.ADJUSTMENT,
        "warning",
        "warning:123",
        Stage.ACCEPTED,
    )
    assert case.accepted_on == OPENED
    assert case.investigation_due
    assert case.overall_due
    event = case.events.get()
    assert event.kind_label == "动态调整立案"
    assert "预警" in event.note
    assert "warning:123" in event.note


def test_refuses_a_second_case_while_one_runs(world):
    enroll(world)
    adjustment_open(
        household=world.household_a1,
        trigger="visit",
        note="走访发现家庭收入变化。",
        opened_on=OPENED,
        acting_user=world.users["town_clerk"],
    )
    with pytest.raises(DomainError) as refused:
        adjustment_open(
            household=world.household_a1,
            trigger="check",
            note="核查。",
            opened_on=OPENED,
            acting_user=world.users["town_clerk"],
        )
    assert refused.value.code == "open_case"


def test_a_death_takes_the_member_out_at_opening(world):
    enroll(world)
    wife = MemberFactory(household=world.household_a1, name="柯王氏", relation="spouse", sex="female")
    case = adjustment_open(
        household=world.household_a1,
        trigger="member_change",
        note="配偶去世。",
        opened_on=OPENED,
        acting_user=world.users["town_clerk"],
        member_change=MemberChange("death", wife, date(2025, 10, 3), "死亡医学证明 No.1001"),
    )
    assert case.member_change.get_kind_display() == "死亡"
    assert not Member.objects.get(pk=wife.pk).is_active
    assert "柯王氏死亡" in case.events.get().note


def test_member_change_needs_evidence_and_a_member_of_the_household(world):
    enroll(world)
    stranger = world.household_a2.members.get()
    with pytest.raises(InvalidInput) as refused:
        adjustment_open(
            household=world.household_a1,
            trigger="member_change",
            note="成员变化。",
            opened_on=OPENED,
            acting_user=world.users["town_clerk"],
            member_change=MemberChange("moving_out", stranger, date(2025, 10, 3), " "),
        )
    assert set(refused.value.errors) == {"member", "evidence"}


def test_the_applicant_cannot_leave_while_others_stay(world):
    enroll(world)
    MemberFactory(household=world.household_a1, name="柯小山", relation="child", birth_date=date(2010, 1, 1))
    head = world.household_a1.members.get(relation="applicant")
    with pytest.raises(InvalidInput) as refused:
        adjustment_open(
            household=world.household_a1,
            trigger="member_change",
            note="户主迁出。",
            opened_on=OPENED,
            acting_user=world.users["town_clerk"],
            member_change=MemberChange("moving_out", head, date(2025, 10, 3), "户口迁移证明"),
        )
    assert "另行确定申请人" in refused.value.errors["member"][0]
