"""Visits (DESIGN §3.6): due and overdue on the right dates, from the parameters, in the user's scope;
recording a visit and the one visit_concern warning it raises; the weekly overdue summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daye_relief.errors import Forbidden, InvalidInput
from eligibility.models import PolicyParameter
from households.models import Enrollment, Household
from monitoring.models import OverdueVisitSummary, Visit, Warning
from monitoring.selectors.visits import (
    DUE,
    LATER,
    OVERDUE,
    months_after,
    next_visit_due,
    visit_status,
    visits_due,
    visits_overdue,
)
from monitoring.services.visits import overdue_visits_summarize, visit_record
from monitoring.services.warnings import warning_raise_for_visit
from monitoring.tasks import list_overdue_visits
from tests.conftest import World
from tests.factories import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db

SECURE = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), ("secure", ""))


def enroll(household: Household, category: str, start: date, member=None) -> Enrollment:  # type: ignore[no-untyped-def]
    return Enrollment.objects.create(household=household, category=category, start_date=start, member=member)


def visit(household: Household, on: date, **items: tuple[str, str]) -> Visit:
    fields = {key: status for key, (status, _) in {**SECURE, **items}.items()}
    return Visit.objects.create(household=household, visited_on=on, method="home", visitors="张三", **fields)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 10, 15), 3, date(2027, 1, 15)),
    ],
)
def test_months_after_clamps_to_the_month_end(day: date, months: int, expected: date) -> None:
    assert months_after(day, months) == expected


@pytest.mark.parametrize(
    ("next_due", "on", "status"),
    [
        (date(2026, 4, 30), date(2026, 4, 30), DUE),  # due on the day itself
        (date(2026, 4, 30), date(2026, 5, 1), OVERDUE),  # the day after
        (date(2026, 4, 30), date(2026, 4, 1), DUE),  # later in the same month
        (date(2026, 4, 30), date(2026, 3, 31), LATER),  # next month
        (date(2026, 5, 1), date(2026, 4, 30), LATER),
    ],
)
def test_status_on_a_date(next_due: date, on: date, status: str) -> None:
    assert visit_status(next_due, on) == status


def test_the_interval_counts_from_the_later_of_last_visit_and_enrollment() -> None:
    assert next_visit_due(last_visit=None, enrolled_since=date(2026, 1, 31), months=3) == date(2026, 4, 30)
    assert next_visit_due(last_visit=date(2026, 3, 2), enrolled_since=date(2026, 1, 31), months=3) == date(
        2026, 6, 2
    )
    # a visit before this enrollment began does not count
    assert next_visit_due(last_visit=date(2025, 1, 2), enrolled_since=date(2026, 1, 31), months=6) == date(
        2026, 7, 31
    )


def test_dibao_every_three_months_from_enrollment_start_at_a_month_end(world: World) -> None:
    user = world.users["town_clerk"]
    enroll(world.household_a1, "dibao", date(2026, 1, 31))
    assert visits_due(user, date(2026, 3, 31)) == []
    due = visits_due(user, date(2026, 4, 1))
    assert [s.household for s in due] == [world.household_a1]
    assert due[0].next_due == date(2026, 4, 30)
    assert due[0].months == 3
    assert [s.household for s in visits_due(user, date(2026, 4, 30))] == [world.household_a1]
    assert visits_overdue(user, date(2026, 4, 30)) == []
    overdue = visits_overdue(user, date(2026, 5, 1))
    assert [s.household for s in overdue] == [world.household_a1]
    assert overdue[0].days_overdue(date(2026, 5, 1)) == 1


def test_monitoring_only_every_six_months_and_a_tekun_member_makes_it_three(world: World) -> None:
    user = world.users["town_clerk"]
    enroll(world.household_a2, "monitoring", date(2026, 2, 28))
    assert visits_overdue(user, date(2026, 8, 28)) == []
    assert [s.next_due for s in visits_due(user, date(2026, 8, 28))] == [date(2026, 8, 28)]
    assert [s.household for s in visits_overdue(user, date(2026, 8, 29))] == [world.household_a2]
    # enrolled as 特困 (a member) from March: every 3 months, still counted from the earliest start
    enroll(world.household_a2, "tekun", date(2026, 3, 10), member=world.household_a2.members.get())
    assert [s.next_due for s in visits_overdue(user, date(2026, 6, 1))] == [date(2026, 5, 28)]


def test_a_visit_restarts_the_count_and_a_later_visit_is_not_seen_before_its_date(world: World) -> None:
    user = world.users["town_clerk"]
    enroll(world.household_a1, "dibao", date(2026, 1, 15))
    visit(world.household_a1, date(2026, 4, 10))
    assert visits_overdue(user, date(2026, 7, 10)) == []
    assert [s.next_due for s in visits_overdue(user, date(2026, 7, 11))] == [date(2026, 7, 10)]
    # on 2026-04-09 the visit of 2026-04-10 has not happened yet: due on 2026-04-15 from the enrollment
    assert [s.next_due for s in visits_due(user, date(2026, 4, 9))] == [date(2026, 4, 15)]


def test_an_ended_enrollment_is_no_longer_due(world: World) -> None:
    user = world.users["town_clerk"]
    enrollment = enroll(world.household_a1, "dibao", date(2026, 1, 15))
    Enrollment.objects.filter(pk=enrollment.pk).update(end_date=date(2026, 5, 1), end_reason="death")
    assert [s.household for s in visits_overdue(user, date(2026, 4, 30))] == [world.household_a1]
    assert visits_overdue(user, date(2026, 5, 1)) == []


def test_the_interval_is_the_parameter_in_force(world: World) -> None:
    PolicyParameter.objects.filter(code="visit_interval_months_others").update(valid_to=date(2026, 5, 31))
    PolicyParameter.objects.create(
        code="visit_interval_months_others",
        region_code="420281",
        valid_from=date(2026, 6, 1),
        value=Decimal("2"),
        unit="months",
        source="测试文件",
    )
    enroll(world.household_a1, "monitoring", date(2026, 3, 1))
    user = world.users["town_clerk"]
    assert visits_overdue(user, date(2026, 5, 15)) == []
    assert [s.next_due for s in visits_overdue(user, date(2026, 6, 1))] == [date(2026, 5, 1)]


def test_scope_village_staff_their_village_town_its_town(world: World) -> None:
    for household in (world.household_a1, world.household_a2, world.household_b1):
        enroll(household, "dibao", date(2026, 1, 1))
    on = date(2026, 6, 1)
    assert {s.household for s in visits_overdue(world.users["village_staff"], on)} == {world.household_a1}
    assert {s.household for s in visits_overdue(world.users["town_clerk"], on)} == {
        world.household_a1,
        world.household_a2,
    }
    assert len(visits_overdue(world.users["civil_affairs_reviewer"], on)) == 3
    assert visits_overdue(world.users["department_user"], on) == []
    assert visits_overdue(world.users["administrator"], on) == []


def test_no_query_per_household(world: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            visits_overdue(world.users["town_clerk"], date(2026, 9, 1))
        return len(ctx.captured_queries)

    def add(n: int) -> None:
        for _ in range(n):
            household = HouseholdFactory(village=world.village_a1)
            MemberFactory(household=household)
            enroll(household, "dibao", date(2026, 1, 1))
            visit(household, date(2026, 2, 1))

    add(3)
    count()  # the user's scope is read once and kept on the user
    few = count()
    add(20)
    assert count() == few
    assert len(visits_overdue(world.users["town_clerk"], date(2026, 9, 1))) == 23


# Recording a visit ----------------------------------------------------------------------------------


def record(
    world: World, user_key: str, household: Household | None = None, **items: tuple[str, str]
) -> Visit:
    return visit_record(
        household=household or world.household_a1,
        visited_on=date(2026, 10, 9),
        method="home",
        visitors="柯主任、王会计",
        items={**SECURE, **items},
        acting_user=world.users[user_key],
        today=date(2026, 10, 9),
    )


def test_a_secure_visit_raises_nothing(world: World) -> None:
    v = record(world, "village_staff")
    assert v.all_secure
    assert v.recorded_by == world.users["village_staff"]
    assert v.history.first().history_user == world.users["village_staff"]
    assert not Warning.objects.exists()


def test_a_not_secure_item_raises_one_visit_concern_for_the_town_due_in_five_working_days(
    world: World,
) -> None:
    v = record(world, "village_staff", housing=("not_secure", "房屋漏雨，墙体开裂"))
    warning = Warning.objects.get()
    assert warning.type == "visit_concern"
    assert warning.get_type_display() == "巡访发现问题"
    assert warning.severity == "high"
    assert warning.visit == v
    assert warning.assignee == world.town_a
    assert warning.status == "open"
    assert warning.raised_on == date(2026, 10, 9)
    # Fri 9 Oct + 5 working days: Sat 10 Oct is a swapped working day (National Day 2026), then 12–15
    assert warning.due_on == date(2026, 10, 15)
    assert "住房安全保障无保障" in warning.detail
    # idempotent: one warning per visit
    assert warning_raise_for_visit(visit=v, today=date(2026, 10, 10)) == warning
    assert Warning.objects.count() == 1


def test_a_not_secure_item_needs_a_note_and_every_item_an_answer(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        visit_record(
            household=world.household_a1,
            visited_on=date(2026, 10, 10),
            method="by_mail",
            visitors=" ",
            items={**SECURE, "water": ("not_secure", ""), "food": ("", "")},
            acting_user=world.users["village_staff"],
            today=date(2026, 10, 9),
        )
    errors = refused.value.errors
    assert errors["visited_on"] == ["巡访日期不能晚于今天。"]
    assert errors["method"] == ["请选择巡访方式。"]
    assert errors["visitors"] == ["请填写巡访人员。"]
    assert errors["water_note"] == ["“饮水安全”无保障，请说明具体情况。"]
    assert errors["food"] == ["请选择“吃不愁”是否有保障。"]
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("user_key", "allowed"),
    [
        ("village_staff", True),
        ("town_clerk", True),
        ("town_agri_officer", True),
        ("task_force", False),
        ("civil_affairs_reviewer", False),
        ("agri_bureau_reviewer", False),
        ("department_user", False),
        ("administrator", False),
    ],
)
def test_who_may_record_a_visit(world: World, user_key: str, allowed: bool) -> None:
    if allowed:
        assert record(world, user_key).pk
    else:
        with pytest.raises(Forbidden):
            record(world, user_key)


def test_village_staff_may_not_record_in_another_village_nor_a_town_in_another_town(world: World) -> None:
    with pytest.raises(Forbidden):
        record(world, "village_staff", household=world.household_a2)
    with pytest.raises(Forbidden):
        record(world, "town_clerk", household=world.household_b1)


# The weekly job -------------------------------------------------------------------------------------


def test_weekly_summary_per_village_keyed_by_the_week(world: World) -> None:
    for household in (world.household_a1, world.household_a2, world.household_b1):
        enroll(household, "dibao", date(2026, 1, 1))
    visit(world.household_a2, date(2026, 9, 1))
    # Monday 2026-10-05: a1 and b1 overdue (due 2026-04-01), a2 not (due 2026-12-01)
    assert overdue_visits_summarize(on=date(2026, 10, 5)) == 2
    rows = {s.village: s for s in OverdueVisitSummary.objects.all()}
    assert set(rows) == {world.village_a1, world.village_b1}
    assert rows[world.village_a1].week_of == date(2026, 10, 5)
    assert rows[world.village_a1].households == [
        {
            "household": world.household_a1.pk,
            "household_number": world.household_a1.household_number,
            "next_due": "2026-04-01",
            "last_visit": None,
        }
    ]
    first = list(
        OverdueVisitSummary.objects.order_by("pk").values("week_of", "village", "overdue", "households")
    )
    # a second run, later in the same week, gives the same result (taken on the Monday)
    visit(world.household_b1, date(2026, 10, 6))
    assert list_overdue_visits("2026-10-08") == 2
    again = list(
        OverdueVisitSummary.objects.order_by("pk").values("week_of", "village", "overdue", "households")
    )
    assert again == first
    # the next week is its own row set: b1 was visited since
    assert list_overdue_visits("2026-10-12") == 1
    assert OverdueVisitSummary.objects.filter(week_of=date(2026, 10, 12)).get().village == world.village_a1


def test_demo_visits_go_through_the_service_once(world: World) -> None:
    from demo.visits import seed_visits

    for household in (world.household_a1, world.household_a2, world.household_b1):
        enroll(household, "dibao", date(2025, 1, 1))
    # by household number: b1 (first, left unvisited), then a1 and a2, visited by town A's clerk; the
    # first visit of the town finds the housing not secure
    assert seed_visits() == 2
    assert {v.household for v in Visit.objects.all()} == {world.household_a1, world.household_a2}
    assert {v.recorded_by for v in Visit.objects.all()} == {world.users["town_clerk"]}
    warning = Warning.objects.get()
    assert warning.type == "visit_concern"
    assert warning.household == world.household_a1
    assert seed_visits() == 0


def test_the_weekly_task_is_registered_under_its_name(world: World) -> None:
    from daye_relief.celery import app

    app.loader.import_default_modules()
    assert "monitoring.tasks.list_overdue_visits" in app.tasks
    enroll(world.household_a1, "dibao", date(2026, 1, 1))
    # run as the worker runs it (eagerly here): keyed by the week of the day given
    assert app.tasks["monitoring.tasks.list_overdue_visits"].apply(args=["2026-10-07"]).get() == 1
    assert OverdueVisitSummary.objects.get().week_of == date(2026, 10, 5)
