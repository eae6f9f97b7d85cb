"""Desk fixtures: hand-countable figures in both towns of the `world`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit
from accounts.orgs import ensure_base_org_units
from applications import services
from applications.models import Application
from households.models import Enrollment, Household
from monitoring.models import DatasetImport, Warning, WarningEvent
from publicity.models import Notice
from tests.applications.cases import accept, advance, intake, submit
from tests.conftest import World
from tests.factories import HouseholdFactory, MemberFactory, user_with_role

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class Figures:
    world: World
    extra_a1: Household  # 东湖村: 低保 only, one member
    late: Application  # decided 22 working days after acceptance (commitment: 10)
    on_time: Application  # decided on the day of acceptance


def household(village: OrgUnit, members: int, *, inactive: int = 0) -> Household:
    home = HouseholdFactory(village=village)
    MemberFactory(household=home)
    for _ in range(members - 1):
        MemberFactory(household=home, relation="spouse")
    for _ in range(inactive):
        MemberFactory(household=home, relation="child", is_active=False)
    return home


def warning(home: Household, kind: str, assignee: OrgUnit, raised: date, due: date, **fields) -> Warning:  # type: ignore[no-untyped-def]
    return Warning.objects.create(
        type=kind,
        severity="high",
        household=home,
        member=home.members.first(),
        town=home.village.parent,
        assignee=assignee,
        raised_on=raised,
        due_on=due,
        **fields,
    )


def handled(item: Warning, on: date) -> None:
    event = WarningEvent.objects.create(
        warning=item, kind="feedback", from_status="open", to_status="handled"
    )
    WarningEvent.objects.filter(pk=event.pk).update(
        at=datetime(on.year, on.month, on.day, 9, tzinfo=SHANGHAI)
    )
    Warning.objects.filter(pk=item.pk).update(status="handled", action="assisted", feedback="已救助。")


@pytest.fixture
def figures(world: World) -> Figures:
    """By hand:
    - 东湖村 (town A): household_a1 低保 + monitoring, 2 members; extra_a1 低保, 1 member.
    - 西畈村 (town A): household_a2 特困 for two members (one household), 3 active members + 1 who left.
    - 沼山村 (town B): household_b1 monitoring, 1 member; an ended 低保 enrollment that no longer counts.
    - Two cases of town A decided in September 2025 (rejected: no enrollment): one on the day of
      acceptance, one 22 working days after; one case of town A waiting in the inbox; one accepted in B.
    - Warnings raised in January 2026: a death in A handled on time (town A), an unemployment in A still
      open past due (医保局), a death in B handled late (town B).
    """
    w = world
    MemberFactory(household=w.household_a1, relation="spouse")
    for _ in range(2):
        MemberFactory(household=w.household_a2, relation="spouse" if _ == 0 else "child")
    MemberFactory(household=w.household_a2, relation="child", is_active=False)
    extra_a1 = household(w.village_a1, 1)
    start = date(2025, 1, 1)
    Enrollment.objects.create(household=w.household_a1, category="dibao", start_date=start)
    Enrollment.objects.create(household=w.household_a1, category="monitoring", start_date=start)
    Enrollment.objects.create(household=extra_a1, category="dibao", start_date=start)
    for member in w.household_a2.members.filter(is_active=True)[:2]:
        Enrollment.objects.create(household=w.household_a2, member=member, category="tekun", start_date=start)
    Enrollment.objects.create(household=w.household_b1, category="monitoring", start_date=start)
    Enrollment.objects.create(
        household=w.household_b1,
        category="dibao",
        start_date=start,
        end_date=date(2025, 6, 1),
        end_reason="other",
    )

    # Cases: two decided (rejected) in town A, one in the inbox of A, one accepted in town B.
    on_time = advance(
        w,
        accept(w, household=household(w.village_a2, 1), accepted_on=date(2025, 9, 1)),
        "approved",
        approve=False,
    )
    late = advance(
        w,
        accept(w, household=household(w.village_a1, 1), accepted_on=date(2025, 9, 1)),
        "approved",
        approve=False,
    )
    Application.objects.filter(pk=late.pk).update(decided_on=date(2025, 9, 30))
    submit(w, household=household(w.village_a1, 1))
    clerk_b = user_with_role(Role.TOWN_CLERK, w.town_b, "clerk_b")
    services.application_accept(
        intake=intake(household(w.village_b1, 1), on=date(2025, 9, 28), accepted_on=date(2025, 9, 28)),
        acting_user=clerk_b,
    )

    # Warnings of January 2026.
    ensure_base_org_units()
    ybj = OrgUnit.objects.get(kind=OrgKind.DEPARTMENT, code="YBJ")
    handled(warning(w.household_a1, "death", w.town_a, date(2026, 1, 5), date(2026, 1, 10)), date(2026, 1, 8))
    warning(w.household_a1, "unemployment", ybj, date(2026, 1, 5), date(2026, 1, 10))
    handled(warning(w.household_b1, "death", w.town_b, date(2026, 1, 6), date(2026, 1, 9)), date(2026, 1, 12))

    # Notices: one posted in each town in January 2026, a draft in A.
    village_user = w.users["village_staff"]
    Notice.objects.create(
        village=w.village_a1,
        status="posted",
        posted_on=date(2026, 1, 3),
        closes_on=date(2026, 1, 8),
        created_by=village_user,
    )
    Notice.objects.create(village=w.village_a1, status="draft", created_by=village_user)
    Notice.objects.create(
        village=w.village_b1,
        status="posted",
        posted_on=date(2026, 1, 4),
        closes_on=date(2026, 1, 9),
        created_by=village_user,
    )
    # 医保局 delivered one file of three rows for 2026-01.
    DatasetImport.objects.create(
        dataset="medical_assistance",
        period="2026-01",
        sha256="0" * 64,
        department=ybj,
        channel="upload",
        status="done",
        rows=3,
        valid=3,
    )
    return Figures(world=w, extra_a1=extra_a1, late=late, on_time=on_time)


@pytest.fixture
def pilot(world: World):  # type: ignore[no-untyped-def]
    """The hand-counted half year of the pilot evaluation (tests/desk/pilot.py)."""
    from .pilot import build_pilot

    return build_pilot(world)
