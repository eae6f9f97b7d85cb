"""Builds cases at any stage through the real services, as the people of the `world` fixture would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.glossary import Role
from applications import services
from applications.glossary import Stage
from applications.models import Application
from evidence.services import document_upload
from households.models import Income

from ..evidence.files import pdf
from ..factories import user_with_role

ORDER = [
    Stage.SUBMITTED,
    Stage.ACCEPTED,
    Stage.INVESTIGATING,
    "investigated",
    Stage.PUBLICIZING,
    Stage.DELIBERATING,
    Stage.APPROVED,
    Stage.FILED,
]


def staff(world):
    """A town agri officer exists in the world; add two more task-force members for a quorum of three."""
    if "task_force_2" not in world.users:
        world.users["task_force_2"] = user_with_role(Role.TASK_FORCE, world.town_a, "taskforce_a2")
        world.users["task_force_3"] = user_with_role(Role.TASK_FORCE, world.town_a, "taskforce_a3")
    return world.users


def intake(household, *, on=date(2025, 9, 28), procedure="commitment", channel="window", **changes):
    applicant = household.members.get(relation="applicant")
    if not Income.objects.filter(member=applicant).exists():
        Income.objects.create(member=applicant, kind="farming", annual_amount=Decimal("5000.00"))
    fields = {
        "household": household,
        "applicant": applicant,
        "channel": channel,
        "procedure": procedure,
        "proxy": "none",
        "proxy_reason": "",
        "situation": "老伴去世，本人无劳动能力，无固定收入。",
        "materials": ["hukou_book", "id_cards"],
        "materials_given_on": on,
        "commitment_signed_on": on,
    }
    fields.update(changes)
    return services.Intake(**fields)


def submit(world, *, submitted_on=date(2025, 9, 26), household=None):
    """The village committee forwards the family's application to the town's inbox."""
    return services.application_submit(
        intake=intake(
            household or world.household_a1, on=submitted_on, channel="village", submitted_on=submitted_on
        ),
        acting_user=world.users["village_staff"],
    )


def accept(world, *, accepted_on=date(2025, 9, 28), procedure="commitment", household=None):
    household = household or world.household_a1
    applicant = household.members.get(relation="applicant")
    if not Income.objects.filter(member=applicant).exists():
        Income.objects.create(member=applicant, kind="farming", annual_amount=Decimal("5000.00"))
    return services.application_accept(
        intake=services.Intake(
            household=household,
            applicant=applicant,
            channel="window",
            procedure=procedure,
            proxy="none",
            proxy_reason="",
            situation="老伴去世，本人无劳动能力，无固定收入。",
            materials=["hukou_book", "id_cards"],
            materials_given_on=accepted_on,
            commitment_signed_on=accepted_on,
            accepted_on=accepted_on,
        ),
        acting_user=world.users["town_clerk"],
    )


def receive(application: Application, *kinds: str, acting_user, material: str = "") -> Application:
    """The case file receives one document of each kind (a one-page PDF made here), as the clerk adds them
    on the case page; the signed commitment is what every investigation needs before it completes."""
    for kind in kinds:
        document_upload(
            household=application.household,
            application=application,
            kind=kind,
            source=pdf(name=f"{kind}.pdf"),
            name=f"{kind}.pdf",
            material=material,
            acting_user=acting_user,
        )
    application.refresh_from_db()
    return application


def advance(world, application: Application, until: str, *, approve: bool = True) -> Application:
    """Moves the case along the ordinary path until the named stage ("investigated": done, not sent)."""
    users = staff(world)
    clerk, agri = users["town_clerk"], users["town_agri_officer"]
    day = application.accepted_on
    if application.stage == Stage.SUBMITTED:
        day = application.submitted_on
        application = services.application_accept_submitted(
            application=application, procedure="commitment", accepted_on=day, acting_user=clerk
        )
        if until == Stage.ACCEPTED:
            return application
    steps = [
        lambda a: services.investigation_start(
            application=a, team=[clerk, agri], check_requested_on=day, started_on=day, acting_user=clerk
        ),
        lambda a: services.investigation_complete(
            application=services.investigation_record_check(
                application=receive(a, "commitment_signed", acting_user=clerk),
                reference="HC-1",
                result="未发现车辆、工商登记和大额存款。",
                result_on=day,
                acting_user=agri,
            ),
            methods=["home_visit", "neighbors"],
            video_reason="",
            findings="家庭情况属实。",
            completed_on=day,
            acting_user=clerk,
        ),
        lambda a: services.notice_send(application=a, acting_user=clerk),
        lambda a: services.notice_close(application=a, closed_on=day, acting_user=clerk),
        lambda a: services.application_decide(
            application=a,
            held_on=day,
            attendees=[users["task_force"], users["task_force_2"], users["task_force_3"]],
            attendees_note="",
            decisions=[
                services.Decision("dibao", approve, "人均月收入低于低保标准。"),
                services.Decision("monitoring", approve, "人均年收入低于监测标准。"),
            ],
            reason="同意纳入。" if approve else "家庭收入经核实高于标准。",
            # Kept only where the decisions depart from the engine (here: 特困, which it finds, refused).
            departure_reason="申请人有子女在外务工，具备赡养能力，不认定特困。",
            approved_by=users["task_force"],
            acting_user=users["task_force"],
        ),
        lambda a: services.application_file(application=a, filed_on=day, acting_user=clerk),
    ]
    start = ORDER.index(Stage(application.stage))
    target = ORDER.index(until)
    for index in range(start + 1, target + 1):
        application = steps[index - 2](application)
    application.refresh_from_db()
    return application
