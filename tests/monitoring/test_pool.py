"""Who is in the monitoring pool on a date (DESIGN §3.6): enrolled now, rejected in the last 12 months, or
an enrollment ended in the last 24 months; nobody else."""

from __future__ import annotations

from datetime import date

import pytest

from applications.glossary import Stage
from applications.models import Application
from households.models import Enrollment, Household
from monitoring.selectors.pool import pool_households, pool_members
from tests.conftest import World
from tests.factories import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 30)


def _household(world: World) -> Household:
    household = HouseholdFactory(village=world.village_a1)
    MemberFactory(household=household, relation="applicant")
    return household


def _rejected(household: Household, decided_on: date) -> None:
    Application.objects.create(
        case_number=f"T-{household.pk}",
        household=household,
        applicant=household.members.get(),
        town=household.village.parent,
        stage=Stage.REJECTED,
        materials_given_on=date(2025, 1, 2),
        commitment_signed_on=date(2025, 1, 2),
        decided_on=decided_on,
    )


def test_the_pool_is_who_is_enrolled_rejected_lately_or_ended_lately(world: World) -> None:
    enrolled = _household(world)
    Enrollment.objects.create(household=enrolled, category="dibao", start_date=date(2024, 1, 1))
    not_started = _household(world)
    Enrollment.objects.create(household=not_started, category="dibao", start_date=date(2026, 7, 1))
    rejected_lately = _household(world)
    _rejected(rejected_lately, date(2025, 7, 1))
    rejected_long_ago = _household(world)
    _rejected(rejected_long_ago, date(2025, 6, 30))
    ended_lately = _household(world)
    Enrollment.objects.create(
        household=ended_lately, category="marginal", start_date=date(2020, 1, 1), end_date=date(2024, 7, 1)
    )
    ended_long_ago = _household(world)
    Enrollment.objects.create(
        household=ended_long_ago, category="marginal", start_date=date(2020, 1, 1), end_date=date(2024, 6, 30)
    )
    never = _household(world)

    pool = set(pool_households(on=ON))
    assert {enrolled, rejected_lately, ended_lately} <= pool
    assert not {not_started, rejected_long_ago, ended_long_ago, never} & pool
    # Each pool household once, however many of the three reasons it has.
    Enrollment.objects.create(household=rejected_lately, category="monitoring", start_date=date(2025, 8, 1))
    assert list(pool_households(on=ON)).count(rejected_lately) == 1
    members = set(pool_members(on=ON).values_list("household_id", flat=True))
    assert enrolled.pk in members
    assert never.pk not in members
