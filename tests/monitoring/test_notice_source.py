"""The adjustment decision notice handed to the family says what opened the case: the visit, check or
warning with its date, not only the bare trigger ("因巡访"), and never where the source is gone."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from applications import services
from applications.services import adjustment_open
from households.models import Income
from monitoring.services.visits import visit_record
from tests.applications.adjust import enroll, family, to_decision
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _notice_text(client, world: World, case) -> str:
    client.force_login(world.users["town_clerk"])
    response = client.get(f"/cases/{case.pk}/print/decision.pdf")
    assert response.status_code == 200

    return "".join(
        "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )


def _case(world: World, source: str):
    household = family(world)
    enroll(world, household, "dibao", amount=Decimal("183.00"))
    Income.objects.filter(member__household=household).update(kind="wage", annual_amount=Decimal("12000.00"))
    case = adjustment_open(
        household=household,
        trigger="visit",
        note="走访发现户主外出务工，收入增加。",
        opened_on=date(2025, 10, 9),
        acting_user=world.users["town_clerk"],
        source=source,
    )
    return to_decision(
        world, case, [services.Decision("dibao", False, "务工收入超过标准。")], income_from_work=True
    )


def test_the_notice_names_the_visit_and_its_date(client, world: World) -> None:
    items = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), ("secure", ""))
    visit = visit_record(
        household=world.household_a1,
        visited_on=date(2025, 10, 8),
        method="home",
        visitors="村委会 柯文",
        items=items,
        acting_user=world.users["village_staff"],
    )
    text = _notice_text(client, world, _case(world, f"visit:{visit.pk}"))
    assert "你（户）因巡访（2025-10-08），经还地桥镇于2025年10月9日动态调整立案" in text


def test_a_source_gone_falls_back_to_the_trigger(client, world: World) -> None:
    text = _notice_text(client, world, _case(world, "visit:999999"))
    assert "你（户）因走访，经还地桥镇" in text
    assert "visit:" not in text
