"""Shared fixtures: a small org tree with two towns, three villages and one user for each role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit, User
from households.models import Household

from .factories import HouseholdFactory, MemberFactory, OrgUnitFactory, user_with_role


@dataclass
class World:
    city: OrgUnit
    town_a: OrgUnit
    town_b: OrgUnit
    village_a1: OrgUnit
    village_a2: OrgUnit
    village_b1: OrgUnit
    users: dict[str, User]
    household_a1: Household
    household_a2: Household
    household_b1: Household


@pytest.fixture
def world(db: None) -> World:
    city = OrgUnitFactory(code="420281", name="大冶市", kind=OrgKind.CITY)
    town_a = OrgUnitFactory(code="420281104", name="还地桥镇", kind=OrgKind.TOWN, parent=city)
    town_b = OrgUnitFactory(code="420281101", name="保安镇", kind=OrgKind.TOWN, parent=city)
    village_a1 = OrgUnitFactory(code="420281104201", name="东湖村", kind=OrgKind.VILLAGE, parent=town_a)
    village_a2 = OrgUnitFactory(code="420281104202", name="西畈村", kind=OrgKind.VILLAGE, parent=town_a)
    village_b1 = OrgUnitFactory(code="420281101201", name="沼山村", kind=OrgKind.VILLAGE, parent=town_b)
    bureau_mz = OrgUnitFactory(code="MZJ", name="市民政局", kind=OrgKind.BUREAU, parent=city)
    bureau_ny = OrgUnitFactory(code="NYNCJ", name="市农业农村局", kind=OrgKind.BUREAU, parent=city)
    dept = OrgUnitFactory(code="YBJ", name="市医保局", kind=OrgKind.DEPARTMENT, parent=city)
    users = {
        "town_clerk": user_with_role(Role.TOWN_CLERK, town_a, "clerk_a"),
        "town_agri_officer": user_with_role(Role.TOWN_AGRI_OFFICER, town_a, "agri_a"),
        "task_force": user_with_role(Role.TASK_FORCE, town_a, "taskforce_a"),
        "village_staff": user_with_role(Role.VILLAGE_STAFF, village_a1, "village_a1"),
        "civil_affairs_reviewer": user_with_role(Role.CIVIL_AFFAIRS_REVIEWER, bureau_mz, "mz"),
        "agri_bureau_reviewer": user_with_role(Role.AGRI_BUREAU_REVIEWER, bureau_ny, "ny"),
        "department_user": user_with_role(Role.DEPARTMENT_USER, dept, "dept"),
        "administrator": user_with_role(Role.ADMINISTRATOR, city, "it_admin"),
    }
    households = []
    for village, name in ((village_a1, "柯大山"), (village_a2, "陈小河"), (village_b1, "尹老松")):
        household = HouseholdFactory(village=village, household_number=f"{village.code}-0001")
        MemberFactory(household=household, name=name)
        households.append(household)
    return World(city, town_a, town_b, village_a1, village_a2, village_b1, users, *households)
