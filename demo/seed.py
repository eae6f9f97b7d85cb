"""Demo data: villages, one user per role, and about 200 households of varied, realistic make-up.

Deterministic (a fixed random seed), so running it twice finds everything in place and adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit, RoleAssignment, User
from accounts.orgs import ensure_base_org_units
from applications import services as cases
from applications.models import Application
from eligibility.selectors import ParameterTable
from eligibility.services import evaluate_household
from households.glossary import AssetKind, Category, ExpenseKind, IncomeKind, LaborCapacity, Relation
from households.idnumbers import make
from households.models import Asset, ExternalSupporter, Household, Income, Member, RigidExpense
from households.names import GIVEN, SURNAMES
from households.services.enrollments import enrollment_start
from publicity import services as notices

from . import documents
from .adjustments import seed_adjustments
from .assistance import seed_assistance
from .checks import seed_checks
from .monitoring import seed_monitoring
from .online import seed_online
from .risk import seed_risk_candidate
from .visits import seed_visits

DEMO_PASSWORD = "daye2026"  # noqa: S105  (demo only; printed by `make run`)

VILLAGES = {
    "420281104": [("201", "东湖村"), ("202", "西畈村"), ("203", "柯家湾村"), ("204", "石山村")],
    "420281101": [("201", "沼山村"), ("202", "新屋村"), ("203", "张家垅村")],
}

# (username, full name, role, org unit code)
DEMO_USERS = [
    ("clerk_hdq", "周文静", Role.TOWN_CLERK, "420281104"),
    ("clerk_ba", "陈晓红", Role.TOWN_CLERK, "420281101"),
    ("agri_hdq", "刘建国", Role.TOWN_AGRI_OFFICER, "420281104"),
    ("taskforce_hdq", "王志强", Role.TASK_FORCE, "420281104"),
    ("village_donghu", "柯玉兰", Role.VILLAGE_STAFF, "420281104201"),
    ("village_zhaoshan", "尹德胜", Role.VILLAGE_STAFF, "420281101201"),
    ("reviewer_mz", "黄丽娟", Role.CIVIL_AFFAIRS_REVIEWER, "MZJ"),
    ("reviewer_ny", "石卫东", Role.AGRI_BUREAU_REVIEWER, "NYNCJ"),
    ("dept_yb", "吴海燕", Role.DEPARTMENT_USER, "YBJ"),
    ("dept_jy", "张明华", Role.DEPARTMENT_USER, "JYJ"),
    ("dept_sf", "李志刚", Role.DEPARTMENT_USER, "SFJ"),
    ("dept_rs", "刘春梅", Role.DEPARTMENT_USER, "RSJ"),
    ("dept_zj", "陈国平", Role.DEPARTMENT_USER, "ZJJ"),
    ("dept_wj", "杨秀英", Role.DEPARTMENT_USER, "WJJ"),
    ("dept_yj", "赵卫东", Role.DEPARTMENT_USER, "YJJ"),
    ("dept_cl", "黄建军", Role.DEPARTMENT_USER, "CL"),
    ("dept_zgh", "周小燕", Role.DEPARTMENT_USER, "ZGH"),
    ("dept_fl", "吴丽华", Role.DEPARTMENT_USER, "FL"),
    ("dept_tsw", "郑晓东", Role.DEPARTMENT_USER, "TSW"),
    ("dept_zs", "孙海涛", Role.DEPARTMENT_USER, "ZSJ"),
    ("admin", "系统管理员", Role.ADMINISTRATOR, "420281"),
]

TODAY = date(2026, 11, 1)


@dataclass
class Person:
    relation: str
    age: int
    male: bool
    labor: str = LaborCapacity.FULL
    income: int = 0
    income_kind: str = IncomeKind.FARMING
    lives_together: bool = True
    student_level: str = ""
    disability: tuple[str, int] | None = None
    illness: bool = False
    married: bool = False


@dataclass
class Plan:
    people: list[Person]
    assets: list[tuple[str, int]] = field(default_factory=lambda: [(AssetKind.HOUSE, 80000)])
    expenses: list[tuple[str, int]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # assisted when non-empty; the engine decides which
    supporter_able: bool | None = None
    village_index: int | None = None  # the village (index into the villages list); else round-robin


def _plans(rng: random.Random) -> list[Plan]:
    """Household make-ups, weighted roughly as a rural pilot town's caseload would be."""

    def elderly_alone() -> Plan:
        age = rng.randint(68, 88)
        plan = Plan(
            [
                Person(
                    Relation.APPLICANT,
                    age,
                    rng.random() < 0.4,
                    LaborCapacity.NONE,
                    rng.randint(1800, 4200),
                    IncomeKind.TRANSFER,
                )
            ]
        )
        plan.supporter_able = rng.random() < 0.5
        plan.categories = [] if plan.supporter_able else [Category.TEKUN]
        return plan

    def elderly_couple() -> Plan:
        return Plan(
            [
                Person(
                    Relation.APPLICANT,
                    rng.randint(62, 80),
                    True,
                    LaborCapacity.PARTIAL,
                    rng.randint(2400, 6000),
                    married=True,
                ),
                Person(
                    Relation.SPOUSE,
                    rng.randint(60, 78),
                    False,
                    LaborCapacity.NONE,
                    rng.randint(1200, 2400),
                    IncomeKind.TRANSFER,
                    illness=rng.random() < 0.3,
                    married=True,
                ),
            ],
            categories=[Category.DIBAO] if rng.random() < 0.5 else [Category.MONITORING],
        )

    def young_family() -> Plan:
        kids = [
            Person(
                Relation.CHILD,
                rng.randint(2, 15),
                rng.random() < 0.5,
                student_level=rng.choice(["primary", "junior_secondary", "preschool"]),
            )
            for _ in range(rng.randint(1, 3))
        ]
        for kid in kids:
            kid.labor = LaborCapacity.NONE
            if kid.age < 3:
                kid.student_level = ""
        migrant = rng.random() < 0.5
        return Plan(
            [
                Person(
                    Relation.APPLICANT,
                    rng.randint(30, 45),
                    True,
                    income=rng.randint(12000, 42000),
                    income_kind=IncomeKind.WAGES if migrant else IncomeKind.FARMING,
                    lives_together=not migrant,
                    married=True,
                ),
                Person(
                    Relation.SPOUSE, rng.randint(28, 43), False, income=rng.randint(3000, 15000), married=True
                ),
                *kids,
            ],
            assets=[(AssetKind.HOUSE, 120000), (AssetKind.DEPOSIT, rng.randint(0, 30000))],
            categories=[Category.MONITORING] if rng.random() < 0.3 else [],
        )

    def disabled_member() -> Plan:
        grade = rng.choice([1, 2, 3, 4])
        kind = rng.choice(["physical", "intellectual", "mental", "visual"])
        return Plan(
            [
                Person(
                    Relation.APPLICANT,
                    rng.randint(48, 62),
                    True,
                    LaborCapacity.PARTIAL,
                    rng.randint(6000, 14000),
                    married=True,
                ),
                Person(
                    Relation.SPOUSE, rng.randint(45, 60), False, income=rng.randint(2000, 8000), married=True
                ),
                Person(
                    Relation.CHILD,
                    rng.randint(19, 32),
                    rng.random() < 0.5,
                    LaborCapacity.NONE,
                    0,
                    disability=(kind, grade),
                ),
            ],
            categories=[Category.MARGINAL, Category.DIBAO_SINGLE] if grade <= 2 else [Category.MARGINAL],
        )

    def university_student() -> Plan:
        return Plan(
            [
                Person(
                    Relation.APPLICANT,
                    rng.randint(45, 55),
                    True,
                    income=rng.randint(15000, 30000),
                    married=True,
                ),
                Person(
                    Relation.SPOUSE,
                    rng.randint(43, 53),
                    False,
                    LaborCapacity.PARTIAL,
                    rng.randint(0, 6000),
                    illness=True,
                    married=True,
                ),
                Person(
                    Relation.CHILD,
                    rng.randint(18, 22),
                    rng.random() < 0.5,
                    student_level=rng.choice(["bachelor", "higher_vocational"]),
                ),
            ],
            expenses=[
                (ExpenseKind.MEDICAL, rng.randint(20000, 60000)),
                (ExpenseKind.EDUCATION, rng.randint(8000, 15000)),
            ],
            categories=[Category.RIGID_EXPENSE] if rng.random() < 0.5 else [],
        )

    def three_generations() -> Plan:
        return Plan(
            [
                Person(
                    Relation.APPLICANT,
                    rng.randint(35, 50),
                    True,
                    income=rng.randint(20000, 50000),
                    married=True,
                    income_kind=IncomeKind.WAGES,
                    lives_together=False,
                ),
                Person(
                    Relation.SPOUSE, rng.randint(33, 48), False, income=rng.randint(5000, 20000), married=True
                ),
                Person(
                    Relation.PARENT,
                    rng.randint(65, 85),
                    False,
                    LaborCapacity.NONE,
                    rng.randint(1500, 3000),
                    IncomeKind.TRANSFER,
                ),
                Person(
                    Relation.CHILD,
                    rng.randint(6, 16),
                    True,
                    LaborCapacity.NONE,
                    student_level="junior_secondary",
                ),
            ],
            assets=[
                (AssetKind.HOUSE, 150000),
                (AssetKind.VEHICLE, rng.randint(30000, 60000)),
                (AssetKind.DEPOSIT, 20000),
            ],
        )

    makers = (
        [elderly_alone] * 5
        + [elderly_couple] * 4
        + [young_family] * 5
        + [disabled_member] * 3
        + [university_student] * 2
        + [three_generations] * 2
    )
    return [rng.choice(makers)() for _ in range(200)] + [
        rigid_expense_family(0),
        rigid_expense_family(4),
        monitored_family(2),
    ]


def rigid_expense_family(village_index: int) -> Plan:
    """A family whose income is above the 低保边缘 line and below the average, but whose medical and
    education bills exceed it (刚性支出困难, DESIGN §3.2): one in 东湖村 and one in 沼山村, so that the
    category's screens, counts and medical-assistance ratio show in both pilot towns."""
    return Plan(
        [
            Person(Relation.APPLICANT, 47, True, income=38000, income_kind=IncomeKind.WAGES, married=True),
            Person(Relation.SPOUSE, 45, False, LaborCapacity.PARTIAL, 9000, illness=True, married=True),
            Person(Relation.CHILD, 19, True, student_level="bachelor"),
        ],
        assets=[(AssetKind.HOUSE, 90000), (AssetKind.DEPOSIT, 8000)],
        expenses=[(ExpenseKind.MEDICAL, 52000), (ExpenseKind.EDUCATION, 11000)],
        categories=[Category.RIGID_EXPENSE],
        village_index=village_index,
    )


def monitored_family(village_index: int) -> Plan:
    """A family monitored only (防止返贫监测): per-capita income below the 低保 standard, but the small van
    of its vegetable round keeps it out of 低保 (no vehicle allowed), and an income below the standard is
    not 低保边缘's. Its applicant later finds steady work, which makes it the demo's risk-elimination
    candidate (demo.risk)."""
    return Plan(
        [
            Person(Relation.APPLICANT, 55, True, income=8000, income_kind=IncomeKind.BUSINESS, married=True),
            Person(Relation.SPOUSE, 53, False, LaborCapacity.PARTIAL, 5000, married=True),
        ],
        assets=[(AssetKind.HOUSE, 70000), (AssetKind.VEHICLE, 9000)],
        categories=[Category.MONITORING],
        village_index=village_index,
    )


# The town clerk who approved a demo enrollment, by town code: the enrollment's history names them.
APPROVING_CLERK = {"420281104": "clerk_hdq", "420281101": "clerk_ba"}


def _enroll(enrolled: list[tuple[Household, date]]) -> int:
    """Enrolls the demo's assisted households, through the enrollments service as a town would, in exactly
    what the engine finds on their start date, so that the demo's caseload is consistent with the rules
    and a re-evaluation moves only what changed. Returns the number of enrollments."""
    table = ParameterTable.load()
    clerks = {code: User.objects.get(username=name) for code, name in APPROVING_CLERK.items()}
    count = 0
    for household, start in enrolled:
        clerk = clerks[household.village.code[:9]]
        _, evaluation = evaluate_household(household=household, as_of=start, table=table)
        member_level = {code for result in evaluation.members for code in result.categories}
        # The monthly amounts of DESIGN §3.7, as the engine computes them for the start date.
        amounts = {(b.category, b.member): b.monthly_amount for b in evaluation.benefits}
        for code in evaluation.categories:
            if code not in member_level:
                enrollment_start(
                    household=household,
                    category=code,
                    start=start,
                    monthly_amount=amounts.get((code, None)),
                    acting_user=clerk,
                )
                count += 1
        for result in evaluation.members:
            member = household.members.get(pk=int(result.ref))
            for code in result.categories:
                enrollment_start(
                    household=household,
                    member=member,
                    category=code,
                    start=start,
                    monthly_amount=amounts.get((code, result.ref)),
                    acting_user=clerk,
                )
                count += 1
    return count


def _demo_cases() -> None:
    """A few cases in progress in 东湖村, two of them on a posted notice, so that every role and the
    public pages have something to show. Only on a database that has no case yet."""
    if Application.objects.exists():
        return
    clerk, agri, village_staff = (
        User.objects.get(username=n) for n in ("clerk_hdq", "agri_hdq", "village_donghu")
    )
    today = timezone.localdate()
    candidates = (
        Household.objects.filter(
            village__code="420281104201", enrollments__isnull=True, members__relation="applicant"
        )
        .distinct()
        .order_by("household_number")[:3]
    )
    sent = []
    for household in candidates:
        applicant = household.members.get(relation="applicant", is_active=True)
        application = cases.application_accept(
            intake=cases.Intake(
                household=household,
                applicant=applicant,
                channel="window",
                procedure="commitment",
                proxy="none",
                proxy_reason="",
                situation="家庭收入低，生活困难，申请救助帮扶。",
                materials=["application_form", "hukou_book", "id_cards", "commitment_letter"],
                materials_given_on=today - timedelta(days=6),
                commitment_signed_on=today - timedelta(days=6),
                accepted_on=today - timedelta(days=6),
            ),
            acting_user=clerk,
        )
        documents.intake_documents(application, clerk)
        cases.investigation_start(
            application=application,
            team=[clerk, agri],
            acting_user=clerk,
            started_on=today - timedelta(days=6),
            check_requested_on=today - timedelta(days=6),
        )
        cases.investigation_record_check(
            application=application,
            reference="DY-HD-0001",
            acting_user=agri,
            result="未发现机动车、工商登记和大额存款。",
            result_on=today - timedelta(days=4),
        )
        documents.investigation_documents(application, clerk, visited=_demo_time(today, days_ago=5))
        cases.investigation_complete(
            application=application,
            methods=["home_visit", "neighbors"],
            video_reason="",
            findings="家庭情况与申报一致。",
            completed_on=today - timedelta(days=3),
            acting_user=clerk,
        )
        sent.append(cases.notice_send(application=application, acting_user=clerk))
    if len(sent) >= 2:
        notice = notices.notice_create(
            village=sent[0].household.village, applications=sent[:2], acting_user=village_staff
        )
        notices.notice_post(notice=notice, acting_user=village_staff)
        for application in sent[:2]:
            documents.notice_photo(application, village_staff, taken=_demo_time(today, days_ago=2))


def _demo_time(today: date, *, days_ago: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(10, 30))


def _birth(rng: random.Random, age: int) -> date:
    year = TODAY.year - age - (1 if rng.random() < 0.5 else 0)
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


@transaction.atomic
def seed_demo() -> dict[str, int]:
    ensure_base_org_units()
    villages: list[OrgUnit] = []
    for town_code, entries in VILLAGES.items():
        town = OrgUnit.objects.get(code=town_code)
        for suffix, name in entries:
            village, _ = OrgUnit.objects.update_or_create(
                code=f"{town_code}{suffix}", defaults={"name": name, "kind": OrgKind.VILLAGE, "parent": town}
            )
            villages.append(village)
    for town in OrgUnit.objects.filter(kind=OrgKind.TOWN, contact_phone=""):
        town.contact_phone = f"0714-87{town.code[-3:]}01"  # a made-up office landline for objections
        town.save(update_fields=["contact_phone"])

    for username, full_name, role, unit_code in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
            user.save()
        RoleAssignment.objects.get_or_create(
            user=user, role=role, org_unit=OrgUnit.objects.get(code=unit_code)
        )

    rng = random.Random(20261129)
    plans = _plans(rng)
    existing = set(Household.objects.values_list("household_number", flat=True))
    sequence = 0
    households, members, incomes, assets, expenses, supporters = [], [], [], [], [], []
    enrolled: list[tuple[Household, date]] = []
    numbered: dict[str, int] = {}  # the last household number given in each village
    for index, plan in enumerate(plans):
        village = villages[index % len(villages) if plan.village_index is None else plan.village_index]
        numbered[village.code] = numbered.get(village.code, 0) + 1
        number = f"{village.code}-{numbered[village.code]:04d}"
        people = []
        for person in plan.people:
            sequence += 1
            people.append((person, _birth(rng, person.age), sequence))
        if number in existing:
            continue
        surname = rng.choice(SURNAMES)
        household = Household(
            household_number=number,
            village=village,
            hukou_type="rural",
            address=f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
            phone=f"13{rng.randint(100000000, 999999999)}",
        )
        households.append(household)
        first_member = None
        names_taken: set[str] = set()
        for person, birth, seq in people:
            sex_digit = (seq % 5) * 2 + (1 if person.male else 0)
            name = ""
            while not name or name in names_taken:  # two members of one name confuse every list
                name = (
                    surname
                    if person.relation in (Relation.APPLICANT, Relation.CHILD)
                    else rng.choice(SURNAMES)
                ) + rng.choice(GIVEN)
            names_taken.add(name)
            member = Member(
                household=household,
                name=name,
                id_number=make("420281", birth, (seq // 5) % 100 * 10 + sex_digit),
                birth_date=birth,
                sex="male" if person.male else "female",
                relation=person.relation,
                lives_together=person.lives_together,
                labor_capacity=person.labor,
                marital_status="married"
                if person.married
                else ("unmarried" if person.age < 30 else "widowed"),
                full_time_student=bool(person.student_level),
                education_level=person.student_level,
                disability_type=person.disability[0] if person.disability else "",
                disability_grade=person.disability[1] if person.disability else None,
                serious_illness=person.illness,
            )
            members.append(member)
            first_member = first_member or member
            if person.income:
                incomes.append(
                    Income(member=member, kind=person.income_kind, annual_amount=Decimal(person.income))
                )
        for kind, value in plan.assets:
            if value:
                assets.append(Asset(household=household, kind=kind, value=Decimal(value)))
        for kind, value in plan.expenses:
            expenses.append(RigidExpense(household=household, kind=kind, annual_amount=Decimal(value)))
        if plan.supporter_able is not None and first_member is not None:
            supporters.append(
                ExternalSupporter(
                    household=household,
                    supports=first_member,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    relation="child",
                    able_to_support=plan.supporter_able,
                    note="已婚，在外地居住" if plan.supporter_able else "本人重病，无履行能力",
                )
            )
        if plan.categories:
            enrolled.append((household, date(rng.choice([2025, 2026]), rng.randint(1, 9), 1)))
    # bulk_create fills each row's foreign key from the parent saved just before it.
    bulk_create_with_history(households, Household)
    bulk_create_with_history(members, Member)
    bulk_create_with_history(incomes, Income)
    bulk_create_with_history(assets, Asset)
    bulk_create_with_history(expenses, RigidExpense)
    bulk_create_with_history(supporters, ExternalSupporter)
    _enroll(enrolled)
    _demo_cases()
    seed_monitoring()
    seed_visits()
    seed_assistance()
    seed_checks()
    seed_adjustments()
    seed_risk_candidate()
    seed_online()
    return {"households": len(households), "members": len(members), "users": len(DEMO_USERS)}
