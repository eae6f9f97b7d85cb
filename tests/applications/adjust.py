"""Drives an adjustment case through the real services, as the people of the `world` fixture would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from applications import services
from applications.adjustment_outcomes import proposed_comparison
from applications.glossary import Outcome, Stage
from applications.models import Application
from applications.services import MemberChange, adjustment_open
from households.models import Income
from households.services.enrollments import enrollment_start

from ..factories import MemberFactory
from .cases import staff

ENROLLED = date(2025, 3, 1)
OPENED = date(2025, 10, 9)
DECIDED = date(2025, 10, 20)


def enroll(world, household, category, *, member=None, amount=None):
    return enrollment_start(
        household=household,
        category=category,
        member=member,
        start=ENROLLED,
        monthly_amount=amount,
        acting_user=world.users["town_clerk"],
    )


def family(world, *, income=Decimal("5000.00")):
    """柯大山's household: the applicant with a farming income."""
    household = world.household_a1
    applicant = household.members.get(relation="applicant")
    Income.objects.create(member=applicant, kind="farming", annual_amount=income)
    return household


def member(household, name, relation, born, **fields):
    return MemberFactory(household=household, name=name, relation=relation, birth_date=born, **fields)


def open_change(world, household, kind, who, *, on=OPENED, evidence="证明材料"):
    return adjustment_open(
        household=household,
        trigger="member_change",
        note=f"{who.name}家庭成员变化。",
        opened_on=on,
        acting_user=world.users["town_clerk"],
        member_change=MemberChange(kind, who, date(2025, 10, 1), evidence),
    )


def investigate(world, case: Application, *, day=OPENED) -> Application:
    users = staff(world)
    clerk, agri = users["town_clerk"], users["town_agri_officer"]
    case = services.investigation_start(
        application=case, team=[clerk, agri], check_requested_on=day, started_on=day, acting_user=clerk
    )
    case = services.investigation_record_check(
        application=case, reference="HC-9", result="核对无异常。", result_on=day, acting_user=agri
    )
    return services.investigation_complete(
        application=case,
        methods=["home_visit"],
        video_reason="",
        findings="成员变化属实。",
        completed_on=day,
        acting_user=clerk,
    )


def as_proposed(case: Application) -> list[services.Decision]:
    """The task force follows the re-evaluation, but adds no category (that would need a notice)."""
    rows = proposed_comparison(case, on=DECIDED)
    return [
        services.Decision(
            row.category, row.enrolled_after and row.outcome != Outcome.ADD, "经研判。", row.member
        )
        for row in rows
    ]


def decide(world, case: Application, decisions=None, *, on=DECIDED, **flags) -> Application:
    users = staff(world)
    return services.application_decide(
        application=case,
        held_on=on,
        attendees=[users["task_force"], users["task_force_2"], users["task_force_3"]],
        attendees_note="",
        decisions=as_proposed(case) if decisions is None else decisions,
        reason="同意调整。",
        departure_reason="经集体研判调整。",
        approved_by=users["task_force"],
        acting_user=users["task_force"],
        **flags,
    )


def to_decision(world, case: Application, decisions=None, **flags) -> Application:
    """Investigated, sent to the review without a notice, decided."""
    case = investigate(world, case)
    case = services.review_send(application=case, acting_user=world.users["town_clerk"])
    assert case.stage == Stage.DELIBERATING
    return decide(world, case, decisions, **flags)


def outcomes(case: Application) -> dict[str, tuple[str, Decimal | None, Decimal | None]]:
    return {
        f"{o.category}:{o.member.name}" if o.member else o.category: (
            o.outcome,
            o.amount_before,
            o.amount_after,
        )
        for o in case.outcomes.select_related("member")
    }
