"""An adjustment per kind of member change ends in the right decision (DESIGN §3.7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from applications import services
from applications.glossary import Stage
from households.models import Enrollment, Member

from .adjust import DECIDED, decide, enroll, family, investigate, member, open_change, outcomes, to_decision

pytestmark = pytest.mark.django_db

D = Decimal


def enrolled(household):
    return {
        (e.category, e.member_id): (e.monthly_amount, e.end_date, e.end_reason)
        for e in Enrollment.objects.filter(household=household)
    }


@pytest.mark.parametrize(
    ("kind", "relation", "born"),
    [("birth", "child", date(2025, 9, 1)), ("return", "child", date(1995, 4, 2))],
)
def test_a_member_added_raises_the_dibao_amount(world, kind, relation, born):
    household = family(world)
    enroll(world, household, "dibao", amount=D("183.00"))
    enroll(world, household, "monitoring")
    newcomer = member(household, "柯小宝", relation, born)
    case = to_decision(world, open_change(world, household, kind, newcomer))
    assert case.stage == Stage.APPROVED
    assert outcomes(case)["dibao"] == ("increase", D("183.00"), D("783.00"))
    assert outcomes(case)["monitoring"][0] == "no_change"
    dibao = Enrollment.objects.get(household=household, category="dibao")
    assert (dibao.monthly_amount, dibao.amount_since, dibao.end_date) == (D("783.00"), DECIDED, None)


def test_a_marriage_bringing_a_wage_cancels_dibao(world):
    household = family(world)
    enroll(world, household, "dibao", amount=D("183.00"))
    wife = member(household, "王芳", "spouse", date(1970, 3, 3), sex="female")
    from households.models import Income

    Income.objects.create(member=wife, kind="wage", annual_amount=D("24000.00"))
    case = to_decision(world, open_change(world, household, "marriage", wife))
    assert outcomes(case)["dibao"] == ("cancel", D("183.00"), None)
    assert enrolled(household)[("dibao", None)] == (D("183.00"), DECIDED, "adjustment")


@pytest.mark.parametrize("kind", ["marrying_out", "imprisonment", "moving_out"])
def test_a_member_leaving_lowers_the_dibao_amount(world, kind):
    household = family(world)
    son = member(household, "柯二军", "child", date(1996, 6, 6))
    enroll(world, household, "dibao", amount=D("783.00"))
    case = open_change(world, household, kind, son)
    son.refresh_from_db()
    assert (not son.is_active) if kind != "imprisonment" else son.imprisoned
    case = to_decision(world, case)
    assert outcomes(case)["dibao"] == ("decrease", D("783.00"), D("183.00"))
    assert enrolled(household)[("dibao", None)][0] == D("183.00")


def test_a_death_ends_that_members_tekun_enrollment_and_keeps_the_others(world):
    household = family(world)
    mother = member(household, "柯母", "parent", date(1940, 1, 1), sex="female", labor_capacity="none")
    enroll(world, household, "tekun", member=mother, amount=D("780.00"))
    enroll(world, household, "dibao", amount=D("183.00"))
    case = to_decision(world, open_change(world, household, "death", mother, evidence="死亡医学证明"))
    assert outcomes(case)["tekun:柯母"] == ("cancel", D("780.00"), None)
    assert enrolled(household)[("tekun", mother.pk)] == (D("780.00"), DECIDED, "death")
    assert enrolled(household)[("dibao", None)][1] is None
    assert not Member.objects.get(pk=mother.pk).is_active


def test_an_addition_needs_a_notice(world):
    household = family(world)
    enroll(world, household, "monitoring")
    baby = member(household, "柯小宝", "child", date(2025, 9, 1))
    case = investigate(world, open_change(world, household, "birth", baby))
    # The re-evaluation finds 低保, which the household does not hold: the case page offers the notice.
    case = services.notice_send(application=case, acting_user=world.users["town_clerk"])
    assert case.stage == Stage.PUBLICIZING
    case = services.notice_close(
        application=case, closed_on=DECIDED, acting_user=world.users["village_staff"]
    )
    decisions = [
        services.Decision("dibao", True, "人均收入低于低保标准。"),
        services.Decision("monitoring", True, "继续监测。"),
    ]
    case = decide(world, case, decisions)
    assert outcomes(case)["dibao"] == ("add", None, D("783.00"))
    assert enrolled(household)[("dibao", None)] == (D("783.00"), None, "")


def test_no_addition_without_a_notice(world):
    household = family(world)
    enroll(world, household, "monitoring")
    case = investigate(
        world, open_change(world, household, "birth", member(household, "柯小宝", "child", date(2025, 9, 1)))
    )
    case = services.review_send(application=case, acting_user=world.users["town_clerk"])
    with pytest.raises(Exception, match="须经村"):
        decide(
            world,
            case,
            [services.Decision("dibao", True, "x理由"), services.Decision("monitoring", True, "x理由")],
        )


def _income_rises(world):
    household = family(world)
    enroll(world, household, "dibao", amount=D("183.00"))
    from households.models import Income

    Income.objects.filter(member__household=household).update(kind="wage", annual_amount=D("12000.00"))
    from applications.services import adjustment_open

    return household, adjustment_open(
        household=household,
        trigger="visit",
        note="走访发现户主外出务工，收入增加。",
        opened_on=date(2025, 10, 9),
        acting_user=world.users["town_clerk"],
        source="visit:7",
    )


def test_gradual_exit_when_dibao_ends_because_work_raised_the_income(world):
    household, case = _income_rises(world)
    case = to_decision(world, case, income_from_work=True, gradual_exit=True)
    assert outcomes(case)["dibao"][0] == "cancel"
    dibao = Enrollment.objects.get(household=household, category="dibao")
    assert (dibao.end_date, dibao.gradual_exit_until) == (None, date(2026, 4, 30))
    assert case.gradual_exit_granted


def test_no_gradual_exit_unless_the_rise_comes_from_work(world):
    from daye_relief.errors import InvalidInput

    _, case = _income_rises(world)
    with pytest.raises(InvalidInput) as refused:
        to_decision(world, case, gradual_exit=True)
    assert "积极就业" in refused.value.errors["gradual_exit"][0]


def test_without_gradual_exit_dibao_ends_for_income_from_the_decision_date(world):
    household, case = _income_rises(world)
    to_decision(world, case, income_from_work=True)
    assert enrolled(household)[("dibao", None)] == (D("183.00"), DECIDED, "income_exceeds")
