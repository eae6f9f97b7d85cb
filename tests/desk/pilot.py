"""A hand-counted half year of the pilot (2025-07-01 to 2025-12-31) and the half year before, built
through the real case services where they exist and as plain records for the rest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.glossary import Role
from applications import services
from applications.glossary import Stage
from applications.models import Application
from charities.models import HouseholdNeed, SocialResource
from households.models import AssistanceRecord, Enrollment
from monitoring.models import DatasetImport, SharedRow, Warning, WarningEvent
from publicity.models import Notice, NoticeItem, Objection

from ..applications.cases import accept, advance
from ..factories import user_with_role

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = (date(2025, 7, 1), date(2025, 12, 31))


@dataclass
class Pilot:
    world: object
    filed_a1: Application
    rejected_a2: Application
    filed_b1: Application


def _at(day: date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI)


def _warning(world, household, *, raised, due, handled=None, assignee=None, type="death"):
    warning = Warning.objects.create(
        type=type,
        severity="high",
        household=household,
        member=household.members.get(relation="applicant"),
        town=household.village.parent,
        assignee=assignee or household.village.parent,
        raised_on=raised,
        due_on=due,
        status="handled" if handled else "open",
        action="assisted" if handled else "",
    )
    if handled:
        event = WarningEvent.objects.create(
            warning=warning, kind="feedback", from_status="open", to_status="handled"
        )
        WarningEvent.objects.filter(pk=event.pk).update(at=_at(handled))
    return warning


def _town_b(world):
    """The same world seen from 保安镇: its own clerk, agri officer and task force run its cases."""
    users = {
        **world.users,
        "town_clerk": user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b"),
        "town_agri_officer": user_with_role(Role.TOWN_AGRI_OFFICER, world.town_b, "agri_b"),
        "task_force": user_with_role(Role.TASK_FORCE, world.town_b, "taskforce_b"),
    }
    return replace(world, users=users, town_a=world.town_b)


def build_pilot(world) -> Pilot:
    """What happened, counted by hand:

    cases: 还地桥镇 东湖村 accepted 2025-09-01, approved as 低保 + 防止返贫监测 and filed (民政局
    acknowledged, 农业农村局 pending); 还地桥镇 西畈村 accepted 2025-10-09, rejected; 保安镇 沼山村 accepted
    2025-03-03 (the half year before), approved and filed, its 低保 ended 2025-11-01 (income exceeds).
    notices: 东湖村 posted 2025-09-05, one case, no objection; 西畈村 posted 2025-10-10, one case objected
    (objection received 2025-10-12, answered).
    warnings: 还地桥镇 2: raised 2025-10-10 due 10-17 handled 10-15 (on time); raised 2025-11-03 due
    11-10, to 市医保局, still open. 保安镇 1: raised 2025-08-01 due 08-08, handled 08-20 (late).
    shared data: 市医保局 delivered medical_assistance for 2025-10 (10 rows): one row matched 柯大山
    (东湖村), 800.00 yuan of medical assistance on his record.
    assistance in 保安镇: a temporary assistance of 500.00 (2025-12-02, not yet explained); a volunteer
    team serving 保安镇 met 沼山村's need for care (need 2025-09-01, help 2025-09-10)."""
    filed_a1 = advance(world, accept(world, accepted_on=date(2025, 9, 1)), Stage.FILED)
    civil = filed_a1.filings.get(bureau="civil_affairs")
    services.filing_acknowledge(filing=civil, acting_user=world.users["civil_affairs_reviewer"])
    rejected_a2 = advance(
        world,
        accept(world, accepted_on=date(2025, 10, 9), household=world.household_a2),
        Stage.APPROVED,
        approve=False,
    )
    filed_b1 = advance(
        world_b := _town_b(world),
        accept(world_b, accepted_on=date(2025, 3, 3), household=world.household_b1),
        Stage.FILED,
    )
    Enrollment.objects.filter(household=world.household_b1, category="dibao").update(
        end_date=date(2025, 11, 1), end_reason="income_exceeds"
    )

    clerk = world.users["town_clerk"]
    first = Notice.objects.create(
        village=world.village_a1,
        status="closed",
        posted_on=date(2025, 9, 5),
        closes_on=date(2025, 9, 10),
        created_by=clerk,
    )
    NoticeItem.objects.create(notice=first, application=filed_a1, outcome="no_objection")
    second = Notice.objects.create(
        village=world.village_a2,
        status="closed",
        posted_on=date(2025, 10, 10),
        closes_on=date(2025, 10, 15),
        created_by=clerk,
    )
    item = NoticeItem.objects.create(notice=second, application=rejected_a2, outcome="objected")
    Objection.objects.create(
        item=item,
        received_on=date(2025, 10, 12),
        channel="phone",
        content="反映该户有经营收入。",
        recorded_by=clerk,
        answer="已重新调查。",
        answered_on=date(2025, 10, 14),
        answered_by=clerk,
    )

    department = world.users["department_user"].role_assignments.get().org_unit
    _warning(
        world,
        world.household_a1,
        raised=date(2025, 10, 10),
        due=date(2025, 10, 17),
        handled=date(2025, 10, 15),
    )
    _warning(
        world,
        world.household_a1,
        raised=date(2025, 11, 3),
        due=date(2025, 11, 10),
        assignee=department,
        type="medical_burden",
    )
    _warning(
        world, world.household_b1, raised=date(2025, 8, 1), due=date(2025, 8, 8), handled=date(2025, 8, 20)
    )

    delivery = DatasetImport.objects.create(
        dataset="medical_assistance",
        period="2025-10",
        sha256="0" * 64,
        department=department,
        channel="upload",
        status="done",
        rows=10,
        valid=10,
        matched=1,
        unmatched=9,
    )
    member = world.household_a1.members.get(relation="applicant")
    SharedRow.objects.create(
        dataset_import=delivery,
        dataset="medical_assistance",
        period="2025-10",
        row_number=2,
        id_number=member.id_number,
        name=member.name,
        row_date=date(2025, 10, 5),
        amount_key="800.00",
        data={"amount": "800.00"},
        household=world.household_a1,
        member=member,
        assistance_amount=Decimal("800.00"),
    )
    AssistanceRecord.objects.create(
        household=world.household_a1,
        member=member,
        kind="medical",
        received_on=date(2025, 10, 5),
        amount=Decimal("800.00"),
        source="shared_data",
        source_dataset="medical_assistance",
    )
    # 保安镇: a temporary assistance (2025-12-02, 500.00, not yet explained) and a volunteer's care.
    b1_member = world.household_b1.members.get(relation="applicant")
    AssistanceRecord.objects.create(
        household=world.household_b1,
        member=b1_member,
        kind="temporary",
        received_on=date(2025, 12, 2),
        amount=Decimal("500.00"),
        source="manual",
        reason="房屋失火，先行救助。",
    )
    volunteers = SocialResource.objects.create(
        kind="volunteer", name="保安镇志愿服务队", need_kind="care", offer="上门照料"
    )
    volunteers.towns.add(world.town_b)
    HouseholdNeed.objects.create(
        household=world.household_b1, kind="care", status="met", recorded_on=date(2025, 9, 1)
    )
    AssistanceRecord.objects.create(
        household=world.household_b1,
        member=b1_member,
        kind="social_help",
        received_on=date(2025, 9, 10),
        source="social_forces",
    )
    return Pilot(world, filed_a1, rejected_a2, filed_b1)
