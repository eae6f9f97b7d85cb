"""The workbench at city scale (issue 12 goal 3): counts from one aggregate, every list bounded or paged,
the same number of queries whatever the caseload."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import HouseholdFactory, MemberFactory
from .cases import accept

pytestmark = pytest.mark.django_db


def _cases(world: Any, n: int) -> None:
    for _ in range(n):
        household = HouseholdFactory(village=world.village_a1)
        MemberFactory(household=household, relation="applicant", name="柯某")
        accept(world, household=household)


def _queries(client: Any, **params: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("applications:workbench"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_workbench_is_paged_and_its_queries_do_not_grow(client: Any, world: Any) -> None:
    client.force_login(world.users["town_clerk"])
    _cases(world, 2)
    few, page = _queries(client)
    assert "第 1 / " not in page  # one page only
    _cases(world, 28)
    many, page = _queries(client)
    assert many == few
    assert "第 1 / 2 页，共 30 件" in page
    assert page.count('href="/cases/') <= 25 + 25 + 25 + 20 + 5  # sections bounded, not every case
    second, page = _queries(client, page="2")
    assert second == few
    assert "第 2 / 2 页，共 30 件" in page
