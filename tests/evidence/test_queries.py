"""The documents panels read their documents with the list, never one query per document (issue 19)."""

from __future__ import annotations

import pytest
from django.test import Client

from evidence.services import document_upload
from tests.applications.cases import accept
from tests.queries import assert_flat_queries

from . import files

pytestmark = pytest.mark.django_db


def _add(world, application=None, *, n: int, note: str, kind: str = "income_proof", user=None) -> list[str]:  # type: ignore[no-untyped-def]
    member = world.household_a1.members.get(relation="applicant")
    for index in range(n):
        document_upload(
            household=world.household_a1,
            application=application,
            member=member,
            kind=kind,
            source=files.pdf(),
            name=f"{note}{index}.pdf",
            note=f"{note}{index}",
            acting_user=user or world.users["town_clerk"],
        )
    return [f"{note}{index}" for index in range(n)]


def test_the_case_panel_and_its_checklist_take_the_same_queries_with_more_documents(world) -> None:
    case = accept(world)
    _add(world, case, n=1, note="首份")
    client = Client()
    client.force_login(world.users["town_clerk"])
    assert_flat_queries(
        lambda: client.get(f"/cases/{case.pk}/"),
        lambda: _add(world, case, n=3, note="补充", user=world.users["village_staff"]),
    )


def test_the_household_panel_takes_the_same_queries_with_more_documents(world) -> None:
    _add(world, n=1, note="首份")
    client = Client()
    client.force_login(world.users["town_clerk"])
    assert_flat_queries(
        lambda: client.get(f"/households/{world.household_a1.pk}/"),
        lambda: _add(world, n=4, note="补充", kind="hukou"),
    )
