"""Risk elimination (DESIGN §3.7): candidates at the rule's edges, the collective review, filing with the
农业农村局 and its acknowledgement ending the monitoring enrollment with `risk_eliminated`."""

from __future__ import annotations

from datetime import date

import pytest

from daye_relief.errors import Forbidden, InvalidInput, InvalidTransition
from eligibility.models import Assessment
from households.models import Enrollment, Household
from monitoring.models import RiskDecision, Visit, Warning
from monitoring.selectors.risk import risk_candidates, standings
from monitoring.services.risk import (
    DecisionInput,
    risk_review_acknowledge,
    risk_review_file,
    risk_review_record,
    risk_review_return,
)
from tests.conftest import World

pytestmark = pytest.mark.django_db

ON = date(2026, 9, 30)
ITEMS = ("food", "clothing", "education", "medical", "housing", "water")


def assess(household: Household, as_of: date, income: str) -> Assessment:
    return Assessment.objects.create(
        household=household,
        as_of=as_of,
        snapshot={},
        parameters=[],
        result={"per_capita_annual_income": income},
        purpose="test",
    )


def visit(household: Household, on: date, **statuses: str) -> Visit:
    fields = {key: statuses.get(key, "secure") for key in ITEMS}
    return Visit.objects.create(household=household, visited_on=on, method="home", visitors="张三", **fields)


def monitored(world: World) -> Household:
    """household_a1: enrolled in monitoring, a candidate on ON by income (before each test changes one
    thing): assessments 2026-03-30 and 2026-09-30 (6 months apart) at 9000 > 7800, a secure visit on
    2026-08-01, no warning."""
    household = world.household_a1
    Enrollment.objects.create(household=household, category="monitoring", start_date=date(2025, 1, 1))
    assess(household, date(2026, 3, 30), "9000.00")
    assess(household, date(2026, 9, 30), "9000.00")
    visit(household, date(2026, 8, 1))
    return household


def candidate_ids(world: World, on: date = ON) -> list[int]:
    return [s.household.pk for s in risk_candidates(town_ids=frozenset({world.town_a.pk}), on=on)]


def reasons(world: World, on: date = ON) -> list[str]:
    return standings(town_ids=frozenset({world.town_a.pk}), on=on)[0].reasons


def test_the_baseline_household_is_a_candidate_by_income(world: World) -> None:
    household = monitored(world)
    found = risk_candidates(town_ids=frozenset({world.town_a.pk}), on=ON)
    assert [(s.household, s.basis) for s in found] == [(household, "income")]
    assert risk_candidates(town_ids=frozenset({world.town_b.pk}), on=ON) == []


@pytest.mark.parametrize(
    ("older", "newer", "candidate"),
    [
        (date(2026, 3, 30), date(2026, 9, 30), True),  # exactly 6 months
        (date(2026, 3, 31), date(2026, 9, 30), False),  # a day short
        (date(2026, 4, 30), date(2026, 9, 30), False),  # 5 months
        (date(2026, 2, 28), date(2026, 8, 31), True),  # month end: 2026-08-31 − 6 months = 2026-02-28
        (date(2026, 3, 1), date(2026, 8, 31), False),
    ],
)
def test_the_last_two_assessments_must_be_six_months_apart(
    world: World, older: date, newer: date, candidate: bool
) -> None:
    household = monitored(world)
    Assessment.objects.filter(household=household).delete()
    assess(household, older, "9000.00")
    assess(household, newer, "9000.00")
    assert (candidate_ids(world) == [household.pk]) is candidate
    if not candidate:
        assert any("间隔不足6个月" in r for r in reasons(world))


def test_only_the_last_two_assessments_count(world: World) -> None:
    household = monitored(world)
    # a third, more recent assessment 2 months after the previous: the last two are too close
    assess(household, date(2026, 9, 29), "9500.00")
    Assessment.objects.filter(household=household, as_of=date(2026, 9, 30)).delete()
    assess(household, date(2026, 5, 1), "9500.00")
    assert candidate_ids(world) == []


@pytest.mark.parametrize(("income", "candidate"), [("7800.01", True), ("7800.00", False), ("7000.00", False)])
def test_income_must_be_above_the_monitoring_standard_in_both(
    world: World, income: str, candidate: bool
) -> None:
    household = monitored(world)
    Assessment.objects.filter(household=household, as_of=date(2026, 3, 30)).update(
        result={"per_capita_annual_income": income}
    )
    assert (candidate_ids(world) == [household.pk]) is candidate
    if not candidate:
        assert "2026-03-30 测算人均年收入未高于监测标准 7800" in reasons(world)[0]


@pytest.mark.parametrize(
    ("visited_on", "candidate"),
    [(date(2026, 3, 30), True), (date(2026, 3, 29), False)],  # ON − 6 months = 2026-03-30
)
def test_the_last_visit_within_six_months(world: World, visited_on: date, candidate: bool) -> None:
    household = monitored(world)
    Visit.objects.filter(household=household).update(visited_on=visited_on)
    assert (candidate_ids(world) == [household.pk]) is candidate


def test_the_last_visit_must_be_all_secure_and_only_the_last_counts(world: World) -> None:
    household = monitored(world)
    visit(household, date(2026, 9, 1), water="not_secure")
    assert candidate_ids(world) == []
    assert "最近一次巡访（2026-09-01）有未保障事项" in reasons(world)
    visit(household, date(2026, 9, 20))
    assert candidate_ids(world) == [household.pk]
    Visit.objects.filter(household=household).delete()
    assert candidate_ids(world) == []
    assert "没有巡访记录" in reasons(world)


@pytest.mark.parametrize(
    ("status", "candidate"), [("open", False), ("in_progress", False), ("handled", False), ("closed", True)]
)
def test_a_warning_not_closed_blocks(world: World, status: str, candidate: bool) -> None:
    household = monitored(world)
    Warning.objects.create(
        type="disaster",
        severity="high",
        household=household,
        town=household.village.parent,
        assignee=world.town_a,
        raised_on=date(2026, 9, 1),
        due_on=date(2026, 9, 8),
        status=status,
    )
    assert (candidate_ids(world) == [household.pk]) is candidate


def test_every_member_gone_is_natural_elimination(world: World) -> None:
    household = world.household_a2
    Enrollment.objects.create(household=household, category="monitoring", start_date=date(2025, 1, 1))
    assert candidate_ids(world) == []
    household.members.update(is_active=False)
    found = risk_candidates(town_ids=frozenset({world.town_a.pk}), on=ON)
    assert [(s.household, s.basis) for s in found] == [(household, "natural")]


def test_a_household_not_in_monitoring_is_no_candidate(world: World) -> None:
    household = monitored(world)
    Enrollment.objects.filter(household=household).update(category="dibao")
    assert candidate_ids(world) == []


# The review, filing and acknowledgement -------------------------------------------------------------


def review(world: World, user_key: str = "task_force", decision: str = "eliminate", reason: str = ""):  # type: ignore[no-untyped-def]
    return risk_review_record(
        town=world.town_a,
        held_on=ON,
        participants="王镇长、李专班、赵农办",
        decisions=[DecisionInput(household_id=world.household_a1.pk, decision=decision, reason=reason)],
        acting_user=world.users[user_key],
        note="经集体研判，同意标注风险消除。",
        today=ON,
    )


def test_review_file_acknowledge_ends_the_monitoring_enrollment(world: World) -> None:
    household = monitored(world)
    dibao = Enrollment.objects.create(household=household, category="dibao", start_date=date(2025, 1, 1))
    recorded = review(world)
    assert recorded.status == "decided"
    assert recorded.created_by == world.users["task_force"]
    assert recorded.decisions.get().basis == "income"
    # while the review is pending the household is not listed again
    assert candidate_ids(world) == []
    filed = risk_review_file(review_id=recorded.pk, acting_user=world.users["task_force"], on=ON)
    assert filed.status == "filed"
    assert filed.filed_on == ON
    done = risk_review_acknowledge(
        review_id=recorded.pk, acting_user=world.users["agri_bureau_reviewer"], on=date(2026, 10, 9)
    )
    assert done.status == "acknowledged"
    assert done.acknowledged_by == world.users["agri_bureau_reviewer"]
    enrollment = Enrollment.objects.get(household=household, category="monitoring")
    assert enrollment.end_date == date(2026, 10, 9)
    assert enrollment.end_reason == "risk_eliminated"
    assert enrollment.history.first().history_user == world.users["agri_bureau_reviewer"]
    assert RiskDecision.objects.get().ended_on == date(2026, 10, 9)
    dibao.refresh_from_db()
    assert dibao.end_date is None  # only monitoring ends
    with pytest.raises(InvalidTransition):
        risk_review_acknowledge(review_id=recorded.pk, acting_user=world.users["agri_bureau_reviewer"])


def test_a_return_then_filing_again(world: World) -> None:
    monitored(world)
    recorded = review(world, "town_agri_officer")
    risk_review_file(review_id=recorded.pk, acting_user=world.users["town_agri_officer"], on=ON)
    with pytest.raises(InvalidInput):
        risk_review_return(review_id=recorded.pk, note=" ", acting_user=world.users["agri_bureau_reviewer"])
    returned = risk_review_return(
        review_id=recorded.pk, note="请补充巡访照片。", acting_user=world.users["agri_bureau_reviewer"]
    )
    assert returned.status == "returned"
    assert returned.return_note == "请补充巡访照片。"
    assert (
        risk_review_file(review_id=recorded.pk, acting_user=world.users["task_force"], on=ON).status
        == "filed"
    )


def test_keep_needs_a_reason_and_a_review_of_keeps_only_is_not_filed(world: World) -> None:
    monitored(world)
    with pytest.raises(InvalidInput) as refused:
        review(world, decision="keep")
    assert "继续监测，请写明理由" in refused.value.message
    recorded = review(world, decision="keep", reason="家中有重病人，继续观察")
    with pytest.raises(InvalidTransition):
        risk_review_file(review_id=recorded.pk, acting_user=world.users["task_force"], on=ON)


def test_a_household_that_is_no_candidate_cannot_be_decided(world: World) -> None:
    household = monitored(world)
    Visit.objects.filter(household=household).delete()
    with pytest.raises(InvalidInput) as refused:
        review(world)
    assert refused.value.errors["decisions"] == ["所选家庭不是本镇当前的风险消除候选家庭，请刷新页面后重试。"]


@pytest.mark.parametrize(
    "user_key",
    ["town_clerk", "village_staff", "agri_bureau_reviewer", "civil_affairs_reviewer", "department_user"],
)
def test_only_the_task_force_or_agri_officer_of_the_town_records(world: World, user_key: str) -> None:
    monitored(world)
    with pytest.raises(Forbidden):
        review(world, user_key)


def test_only_the_agri_bureau_acknowledges_or_returns(world: World) -> None:
    monitored(world)
    recorded = review(world)
    risk_review_file(review_id=recorded.pk, acting_user=world.users["task_force"], on=ON)
    for key in ("task_force", "town_clerk", "civil_affairs_reviewer"):
        with pytest.raises(Forbidden):
            risk_review_acknowledge(review_id=recorded.pk, acting_user=world.users[key])
        with pytest.raises(Forbidden):
            risk_review_return(review_id=recorded.pk, note="x", acting_user=world.users[key])
    with pytest.raises(Forbidden):
        risk_review_file(review_id=recorded.pk, acting_user=world.users["town_clerk"])


def test_candidates_in_a_users_scope(world: World) -> None:
    from monitoring.selectors.risk import risk_candidates_for

    household = monitored(world)
    for key, expected in (
        ("task_force", [household]),
        ("town_clerk", [household]),
        ("agri_bureau_reviewer", [household]),
        ("village_staff", []),
        ("civil_affairs_reviewer", []),
    ):
        assert [s.household for s in risk_candidates_for(world.users[key], ON)] == expected, key
