"""Approval enrolls the household from the approval date, with the amounts of the case's assessment
(DESIGN §3.7); every approved member gets their own 特困 / 单人户低保 enrollment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from applications import services
from applications.glossary import Stage
from households.models import Enrollment

from .cases import accept, advance, staff

pytestmark = pytest.mark.django_db


def test_approval_follows_the_engine_and_takes_its_amounts(client, world):
    users = staff(world)
    application = advance(world, accept(world), Stage.DELIBERATING)
    applicant = application.household.members.get(relation="applicant")  # 65, income 5000 a year: 特困
    services.application_decide(
        application=application,
        held_on=application.notice_closed_on,
        attendees=[users["task_force"], users["task_force_2"], users["task_force_3"]],
        attendees_note="",
        decisions=[
            services.Decision("tekun", True, "无劳动能力、无生活来源、无法定赡养人。", member=applicant),
            services.Decision("dibao", True, "人均月收入低于低保标准。"),
            services.Decision("monitoring", True, "人均年收入低于监测标准。"),
        ],
        reason="同意纳入。",
        approved_by=users["task_force"],
        acting_user=users["task_force"],
    )
    application.refresh_from_db()

    rows = {
        (e.category, e.member_id): (e.start_date, e.monthly_amount)
        for e in Enrollment.objects.filter(household=application.household)
    }
    day = application.decided_on
    assert rows == {
        ("tekun", applicant.pk): (day, Decimal("780.00")),
        ("dibao", None): (day, Decimal("0.00")),  # its only member is 特困
        ("monitoring", None): (day, None),
    }
    stored = {
        (b["category"], b["member"]): b["monthly_amount"] for b in application.assessment.result["benefits"]
    }
    assert stored == {("tekun", str(applicant.pk)): "780.00", ("dibao", None): "0.00"}
    assert Enrollment.objects.get(category="tekun").history.get().history_user == users["task_force"]

    client.force_login(users["town_clerk"])
    page = client.get(reverse("households:detail", args=[application.household.pk])).content.decode()
    assert "780.00" in page[page.index('id="enrollments"') :]


def test_approval_departing_from_the_engine_applies_the_formula_to_what_was_approved(world):
    # The engine finds the 65-year-old applicant 特困; the town approves 低保 and monitoring only, so the
    # applicant counts in 低保: 600 − 5000 ÷ 12 = 183.33 → 183.
    application = advance(world, accept(world), Stage.APPROVED)
    dibao = Enrollment.objects.get(household=application.household, category="dibao")
    assert (dibao.start_date, dibao.monthly_amount) == (application.decided_on, Decimal("183.00"))


def test_a_rejection_enrolls_nothing(world):
    application = advance(world, accept(world), Stage.DELIBERATING)
    users = staff(world)
    services.application_decide(
        application=application,
        held_on=application.notice_closed_on,
        attendees=[users["task_force"], users["task_force_2"], users["task_force_3"]],
        attendees_note="",
        decisions=[services.Decision("dibao", False, "收入高于标准。")],
        reason="家庭收入经核实高于标准。",
        approved_by=users["task_force"],
        acting_user=users["task_force"],
    )
    assert not Enrollment.objects.filter(household=application.household).exists()


def test_approval_notice_prints_the_monthly_amount_per_approved_category(world):
    from .test_printing import _build_case, _family, _render, _text

    _family(world.household_a1)
    application = _build_case(world, world.household_a1)
    amounts = {
        e.category: e.monthly_amount for e in Enrollment.objects.filter(household=application.household)
    }
    assert amounts["dibao"] is not None

    text = _text(_render(application, "decision", keep_as="decision-approved"))

    assert "每月救助金（元）" in text
    assert f"低保全户{amounts['dibao']}" in text
    assert "防止返贫监测全户—" in text  # monitoring carries no cash
