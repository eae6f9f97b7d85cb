"""Cash benefits (DESIGN §3.7, §5): the amounts at their boundaries, and where the evaluation shows them."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from eligibility.benefits import whole_yuan
from eligibility.parameters import default_parameter_set
from eligibility.services import assessment_record, parameter_save
from tests.factories import IncomeFactory, MemberFactory, valid_id

from .builders import household, member, run
from .test_contracts import run_command

ELDER = {"born": "1950-01-01", "labor": "none"}  # 75 on the evaluation date, no labor capacity: 特困
URL = "/api/v1/eligibility/evaluate/"


def benefits(data: dict[str, Any], **parameters: Any) -> list[dict[str, Any]]:
    params = dataclasses.replace(default_parameter_set(), **parameters)
    return run(data, params).to_json()["benefits"]


CASES = [
    # (label, snapshot, parameter overrides, expected benefits)
    (
        "one adult without income: the rural standard",
        household(member("a")),
        {},
        [{"category": "dibao", "member": None, "monthly_amount": "600.00"}],
    ),
    (
        "urban standard",
        household(member("a"), hukou="urban"),
        {},
        [{"category": "dibao", "member": None, "monthly_amount": "780.00"}],
    ),
    (
        "two members: 2 × 600 − 7000 ÷ 12 = 616.67, whole yuan 617",
        household(member("a", income="6000"), member("b", "spouse", income="1000")),
        {},
        [{"category": "dibao", "member": None, "monthly_amount": "617.00"}],
    ),
    (
        "exactly .5 rounds up: 600 − 6 ÷ 12 = 599.50",
        household(member("a", income="6")),
        {},
        [{"category": "dibao", "member": None, "monthly_amount": "600.00"}],
    ),
    (
        "just under .5 rounds down: 600 − 6.01 ÷ 12 = 599.4991…",
        household(member("a", income="6.01")),
        {},
        [{"category": "dibao", "member": None, "monthly_amount": "599.00"}],
    ),
    (
        "just over .5 rounds up: 600 − 5.99 ÷ 12 = 599.5008…",
        household(member("a", income="5.99")),
        {},
        [{"category": "dibao", "member": None, "monthly_amount": "600.00"}],
    ),
    (
        "a third of a yuan is not lost on the way: 600 − 7194 ÷ 12 = 0.50, whole yuan 1",
        household(member("a", income="7194")),
        {},
        [{"category": "dibao", "member": None, "monthly_amount": "1.00"}],
    ),
    (
        "特困 member left out of the 低保 count: 600 − 1200 ÷ 12 = 500, and 1.3 × 600 = 780",
        household(member("a", **ELDER), member("g", "grandchild", income="1200")),
        {},
        [
            {"category": "tekun", "member": "a", "monthly_amount": "780.00"},
            {"category": "dibao", "member": None, "monthly_amount": "500.00"},
        ],
    ),
    (
        "not below 0: the only non-特困 member earns more than the standard",
        household(member("a", **ELDER), member("g", "grandchild", income="7300")),
        {},
        [
            {"category": "tekun", "member": "a", "monthly_amount": "780.00"},
            {"category": "dibao", "member": None, "monthly_amount": "0.00"},
        ],
    ),
    (
        "urban 特困: 1.3 × 780 = 1014",
        household(member("a", **ELDER), hukou="urban"),
        {},
        [
            {"category": "tekun", "member": "a", "monthly_amount": "1014.00"},
            {"category": "dibao", "member": None, "monthly_amount": "0.00"},
        ],
    ),
    (
        "特困 standard rounds half-up: 1.3 × 615 = 799.5 → 800",
        household(member("a", **ELDER)),
        {"dibao_standard_rural": Decimal("615")},
        [
            {"category": "tekun", "member": "a", "monthly_amount": "800.00"},
            {"category": "dibao", "member": None, "monthly_amount": "0.00"},
        ],
    ),
    (
        "单人户低保 in a marginal household: 600 − own income, not below 0",
        household(
            member("a", income="14400", serious_illness=True),
            member("b", "spouse", income="14400"),
            member("c", "child", born="2010-01-01", serious_illness=True),
        ),
        {},
        [
            {"category": "dibao_single", "member": "a", "monthly_amount": "0.00"},
            {"category": "dibao_single", "member": "c", "monthly_amount": "600.00"},
        ],
    ),
    (
        "单人户低保 rounding: 600 − 1206 ÷ 12 = 499.5 → 500",
        household(
            member("a", income="20394"),
            member("b", "spouse", income="1206", serious_illness=True),
        ),
        {},
        [{"category": "dibao_single", "member": "b", "monthly_amount": "500.00"}],
    ),
    (
        "低保边缘, 刚性支出 and monitoring alone carry no cash",
        household(member("a", income="9600")),
        {},
        [],
    ),
]


@pytest.mark.parametrize(("label", "data", "overrides", "expected"), CASES, ids=[c[0] for c in CASES])
def test_amounts_at_the_boundaries(label, data, overrides, expected):
    assert benefits(data, **overrides) == expected


@pytest.mark.parametrize(
    ("exact", "whole"),
    [
        ("0", "0"),
        ("-0.5", "0"),
        ("-12", "0"),
        ("0.49", "0"),
        ("0.5", "1"),
        ("430.5", "431"),
        ("430.4999", "430"),
    ],
)
def test_whole_yuan_rounds_half_up_and_never_below_zero(exact, whole):
    from fractions import Fraction

    assert whole_yuan(Fraction(exact)) == Decimal(whole)


# --- where the evaluation shows them ----------------------------------------------------------------


@pytest.fixture
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _snapshot(as_of: str) -> dict[str, Any]:
    data = household(member("a", income="1200"), member("b", "spouse"))
    return {**data, "as_of": as_of}


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_throttle")
def test_endpoint_uses_the_standard_in_force_on_the_snapshot_date(client):
    parameter_save(
        code="dibao_standard_rural",
        region_code="420281",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        value=Decimal("650"),
        source="大冶市2026年低保标准文件",
        close_previous=True,
    )
    before = client.post(URL, _snapshot("2025-12-31"), content_type="application/json").json()
    after = client.post(URL, _snapshot("2026-01-01"), content_type="application/json").json()

    # 2 × 600 − 100 = 1100; from 2026: 2 × 650 − 100 = 1200.
    assert before["benefits"] == [{"category": "dibao", "member": None, "monthly_amount": "1100.00"}]
    assert after["benefits"] == [{"category": "dibao", "member": None, "monthly_amount": "1200.00"}]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_prints_the_benefits(tmp_path):
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(household(member("a", **ELDER), member("g", "grandchild", income="1200"))))
    done = run_command([str(path)])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["benefits"] == [
        {"category": "tekun", "member": "a", "monthly_amount": "780.00"},
        {"category": "dibao", "member": None, "monthly_amount": "500.00"},
    ]


@pytest.mark.django_db
def test_stored_assessment_keeps_the_benefits(world):
    applicant = world.household_a1.members.get()
    applicant.birth_date, applicant.id_number = date(1980, 1, 1), valid_id(date(1980, 1, 1))
    applicant.save()
    IncomeFactory(member=applicant, annual_amount=Decimal("1200.00"))
    MemberFactory(household=world.household_a1, relation="spouse", birth_date=date(1982, 3, 1))

    assessment = assessment_record(household=world.household_a1, as_of=date(2025, 6, 1), acting_user=None)
    assessment.refresh_from_db()

    assert assessment.result["benefits"] == [
        {"category": "dibao", "member": None, "monthly_amount": "1100.00"}
    ]


@pytest.mark.django_db
def test_self_check_page_shows_the_monthly_amounts(client, world):
    from django.urls import reverse

    from .test_pages import self_check_form

    form = self_check_form(
        **{
            "m-0-relation": "applicant",
            "m-0-birth_date": "1950-04-02",
            "m-0-labor_capacity": "none",
            "m-0-lives_together": "on",
            "m-0-shares_finances": "on",
            "m-1-relation": "grandchild",
            "m-1-birth_date": "1998-04-02",
            "m-1-annual_income": "1200",
            "m-1-lives_together": "on",
            "m-1-shares_finances": "on",
        }
    )
    page = client.post(reverse("self_check"), form).content.decode()

    assert "测算的每月救助金" in page
    assert "<tr><td>特困</td><td>第1位家庭成员</td><td>780.00</td></tr>" in page
    assert "<tr><td>低保</td><td>全家</td><td>500.00</td></tr>" in page
