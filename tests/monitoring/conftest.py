"""Monitoring fixtures: the world's households, two of them in the pool, and every department."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from accounts.glossary import Role
from accounts.models import OrgUnit, User
from accounts.orgs import ensure_base_org_units
from households.models import Enrollment, Household, Member
from tests.conftest import World
from tests.factories import MemberFactory, user_with_role


@dataclass
class Pool:
    world: World
    a1: Household  # in the pool (低保), town A
    b1: Household  # in the pool (monitoring), town B
    a2: Household  # not in the pool
    member_a1: Member
    member_b1: Member
    member_a2: Member
    departments: dict[str, OrgUnit]
    dept_users: dict[str, User]


@pytest.fixture
def pool(world: World) -> Pool:
    ensure_base_org_units()
    Enrollment.objects.create(household=world.household_a1, category="dibao", start_date=date(2020, 1, 1))
    Enrollment.objects.create(
        household=world.household_b1, category="monitoring", start_date=date(2020, 1, 1)
    )
    departments = {unit.code: unit for unit in OrgUnit.objects.filter(kind="department")}
    dept_users = {
        code: user_with_role(Role.DEPARTMENT_USER, departments[code], f"dept_{code.lower()}")
        for code in ("YBJ", "RSJ", "WJJ", "ZJJ")
    }
    return Pool(
        world,
        world.household_a1,
        world.household_b1,
        world.household_a2,
        world.household_a1.members.get(),
        world.household_b1.members.get(),
        world.household_a2.members.get(),
        departments,
        dept_users,
    )


def csv_bytes(
    rows: list[dict[str, Any]] | list[list[Any]], *, encoding: str = "utf-8", header: list[str] | None = None
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if rows and isinstance(rows[0], dict):
        keys = header or list(rows[0])
        writer.writerow(keys)
        for row in rows:
            writer.writerow([row.get(k, "") for k in keys])  # type: ignore[union-attr]
    else:
        if header:
            writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]
    return out.getvalue().encode(encoding)


__all__ = ["MemberFactory", "Pool", "csv_bytes"]
