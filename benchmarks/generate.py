"""Deterministic, realistic households for the benchmarks: plain data, no Django, no database.

`HouseholdGenerator(seed, villages).households(n)` yields `HouseholdSpec`s of 1–6 members, shaped like a
rural pilot town's caseload (elderly people alone or in couples, young families with a migrant worker,
a disabled adult child, a university student, three generations, grandparents raising grandchildren),
with incomes, property, rigid expenses, external supporters and the categories the household is enrolled
in. The same seed always gives the same households. `snapshot(spec)` renders one as the v1 snapshot the
stored-household builder (`eligibility.selectors.household_snapshot`) would produce.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from eligibility.engine import evaluate
from eligibility.parameters import default_parameter_set
from eligibility.snapshot import SnapshotInvalid, validate_snapshot
from households.codes import REGION_CODE
from households.idnumbers import make
from households.names import GIVEN, SURNAMES

AS_OF = date(2026, 3, 1)
CITY_CODE = REGION_CODE
ENROLLED_FROM = date(2025, 1, 1)
# Birth places for ID numbers: Daye first, then other Hubei counties when a birth date runs out of numbers.
ID_REGIONS = (REGION_CODE, "420202", "420203", "420204", "420205", "420222", "421281", "420982", "420102")


@dataclass(frozen=True)
class OrgUnitSpec:
    code: str
    name: str
    kind: str  # city, town, village
    parent: str | None


def org_tree(towns: int = 16, villages_per_town: int = 20) -> list[OrgUnitSpec]:
    """The city 420281, `towns` towns (9-digit codes) and their villages (12-digit codes), parents first."""
    units = [OrgUnitSpec(CITY_CODE, "大冶市", "city", None)]
    for town_index in range(towns):
        town = OrgUnitSpec(f"{CITY_CODE}{100 + town_index:03d}", f"测试{town_index + 1}镇", "town", CITY_CODE)
        units.append(town)
        units.extend(
            OrgUnitSpec(f"{town.code}{201 + v:03d}", f"{town.name}{v + 1}村", "village", town.code)
            for v in range(villages_per_town)
        )
    return units


@dataclass(slots=True)
class Person:
    relation: str
    birth_date: date
    male: bool
    name: str = ""
    id_number: str = ""
    labor_capacity: str = "full"
    incomes: list[tuple[str, Decimal]] = field(default_factory=list)  # (kind, annual amount)
    lives_together: bool = True
    shares_finances: bool = True
    marital_status: str = ""
    education_level: str = ""  # set for a full-time student
    disability_type: str = ""
    disability_grade: int | None = None
    serious_illness: bool = False
    imprisoned: bool = False
    full_civil_capacity: bool = True
    is_active: bool = True  # False: moved out or died, still on file

    @property
    def annual_income(self) -> Decimal:
        return sum((amount for _, amount in self.incomes), Decimal(0))


@dataclass(frozen=True)
class SupporterSpec:
    supports: int  # index of the member supported
    name: str
    relation: str
    able_to_support: bool


@dataclass(frozen=True)
class EnrollmentSpec:
    category: str
    member: int | None  # index of the member, for tekun and dibao_single
    start_date: date
    end_date: date | None = None


@dataclass
class HouseholdSpec:
    number: str
    village_code: str
    hukou_type: str
    address: str
    phone: str
    members: list[Person]
    assets: list[tuple[str, Decimal]] = field(default_factory=list)  # (kind, value)
    expenses: list[tuple[str, Decimal]] = field(default_factory=list)  # (kind, annual amount)
    supporters: list[SupporterSpec] = field(default_factory=list)
    enrollments: list[EnrollmentSpec] = field(default_factory=list)


class IdNumbers:
    """Valid resident ID numbers, unique per generator: a counter per birth place, birth date and sex."""

    def __init__(self) -> None:
        self._issued: dict[tuple[str, date, bool], int] = {}

    def issue(self, birth: date, male: bool) -> str:
        for region in ID_REGIONS:
            key = (region, birth, male)
            count = self._issued.get(key, 0)
            if count < 500:  # sequences 000–999: odd for men, even for women
                self._issued[key] = count + 1
                return make(region, birth, 2 * count + (1 if male else 0))
        raise RuntimeError(f"no ID numbers left for {birth.isoformat()}")


class HouseholdGenerator:
    """Households of realistic, varied make-up; deterministic for a seed."""

    def __init__(
        self,
        seed: int,
        villages: Sequence[OrgUnitSpec],
        *,
        broken_rate: float = 0.0,
        settled_rate: float = 0.0,
    ) -> None:
        """`broken_rate` is the share of multi-member households whose applicant has left (is_active
        False) while the others stay: stored data a re-evaluation must report, not judge. Snapshots need
        it 0. `settled_rate` is the share of households enrolled in exactly the categories the engine
        finds for them today (with the default parameters), as a caseload mostly is; the others keep the
        categories their make-up suggests, which a re-evaluation will often propose to change."""
        self._rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
        self._villages = list(villages)
        self._ids = IdNumbers()
        self._broken_rate = broken_rate
        self._settled_rate = settled_rate
        self._parameters = default_parameter_set()
        self._makers = (
            [self._elderly_alone] * 5
            + [self._elderly_couple] * 4
            + [self._young_family] * 5
            + [self._disabled_member] * 3
            + [self._university_student] * 2
            + [self._three_generations] * 3
            + [self._grandparents_raising] * 2
            + [self._ill_adult] * 2
        )

    def households(self, count: int, *, start: int = 0) -> Iterator[HouseholdSpec]:
        for index in range(start, start + count):
            yield self._household(index)

    # --- helpers -------------------------------------------------------------------------------

    def _money(self, low: int, high: int) -> Decimal:
        """An amount in yuan between low and high, with cents one time in three."""
        rng = self._rng
        cents = rng.randint(0, 99) if rng.random() < 1 / 3 else 0
        return Decimal(rng.randint(low, high) * 100 + cents).scaleb(-2)

    def _person(self, relation: str, age: int, male: bool, **kwargs: Any) -> Person:
        rng = self._rng
        year = AS_OF.year - age - (1 if rng.random() < 0.5 else 0)
        birth = date(year, rng.randint(1, 12), rng.randint(1, 28))
        if birth > AS_OF:  # a baby "born" after the evaluation date: the snapshot would be refused
            birth = birth.replace(year=year - 1)
        return Person(relation, birth, male, **kwargs)

    def _maybe(self, probability: float) -> bool:
        return self._rng.random() < probability

    # --- household make-ups: (members, assets, expenses, supporters, categories) ------------------

    def _elderly_alone(self) -> _Plan:
        rng = self._rng
        age = rng.randint(62, 92)
        person = self._person(
            "applicant",
            age,
            self._maybe(0.4),
            labor_capacity=rng.choice(("none", "none", "partial")),
            marital_status=rng.choice(("widowed", "widowed", "unmarried", "divorced")),
            serious_illness=self._maybe(0.2),
        )
        person.incomes.append(("transfer", self._money(1800, 4800)))
        if self._maybe(0.3):
            person.incomes.append(("farming", self._money(300, 3000)))
        plan = _Plan([person])
        plan.assets = [("house", self._money(20000, 90000))] if self._maybe(0.8) else []
        if self._maybe(0.4):
            plan.assets.append(("deposit", self._money(500, 12000)))
        able = [self._maybe(0.5) for _ in range(rng.randint(0, 2))]
        plan.supporters = [(0, "child", flag) for flag in able]
        plan.categories = ["monitoring"] if any(able) else [rng.choice(("tekun@0", "tekun@0", "dibao"))]
        return plan

    def _elderly_couple(self) -> _Plan:
        rng = self._rng
        husband = self._person(
            "applicant",
            rng.randint(60, 85),
            True,
            labor_capacity=rng.choice(("partial", "none")),
            marital_status="married",
        )
        husband.incomes.append(("farming", self._money(1200, 7000)))
        wife = self._person(
            "spouse",
            rng.randint(58, 83),
            False,
            labor_capacity="none",
            marital_status="married",
            serious_illness=self._maybe(0.3),
        )
        wife.incomes.append(("transfer", self._money(1200, 2600)))
        plan = _Plan([husband, wife], assets=[("house", self._money(30000, 120000))])
        if self._maybe(0.3):
            plan.expenses = [("medical", self._money(3000, 40000))]
        if self._maybe(0.3):
            plan.supporters = [(0, "child", self._maybe(0.6))]
        plan.categories = [rng.choice(("dibao", "dibao", "monitoring", "marginal"))]
        return plan

    def _young_family(self) -> _Plan:
        rng = self._rng
        migrant = self._maybe(0.5)
        father = self._person(
            "applicant",
            rng.randint(28, 46),
            True,
            lives_together=not migrant,
            marital_status="married",
        )
        father.incomes.append(("wages" if migrant else "farming", self._money(10000, 48000)))
        mother = self._person("spouse", rng.randint(26, 44), False, marital_status="married")
        if self._maybe(0.8):
            mother.incomes.append(("farming", self._money(2000, 16000)))
        members = [father, mother]
        for _ in range(rng.randint(1, 3)):
            age = rng.randint(0, 17)
            level = (
                ""
                if age < 3
                else "preschool"
                if age < 6
                else "primary"
                if age < 12
                else "junior_secondary"
                if age < 15
                else "senior_secondary"
            )
            members.append(
                self._person(
                    "child",
                    age,
                    self._maybe(0.5),
                    labor_capacity="none",
                    education_level=level,
                    marital_status="unmarried",
                )
            )
        plan = _Plan(members, assets=[("house", self._money(60000, 200000))])
        if self._maybe(0.6):
            plan.assets.append(("deposit", self._money(0, 40000)))
        if self._maybe(0.15):
            plan.assets.append(("vehicle", self._money(20000, 90000)))
        if self._maybe(0.03):
            plan.assets.append(("business", self._money(10000, 80000)))
        if self._maybe(0.3):
            plan.expenses = [("education", self._money(2000, 12000))]
        plan.categories = ["monitoring"] if self._maybe(0.7) else ["marginal"]
        return plan

    def _disabled_member(self) -> _Plan:
        rng = self._rng
        grade = rng.choice((1, 2, 3, 4))
        kind = rng.choice(("physical", "intellectual", "mental", "visual", "hearing", "multiple"))
        father = self._person(
            "applicant", rng.randint(46, 64), True, labor_capacity="partial", marital_status="married"
        )
        father.incomes.append(("farming", self._money(4000, 16000)))
        mother = self._person("spouse", rng.randint(44, 62), False, marital_status="married")
        mother.incomes.append(("wages", self._money(2000, 9000)))
        child = self._person(
            "child",
            rng.randint(19, 36),
            self._maybe(0.5),
            labor_capacity="none" if grade <= 2 else "partial",
            disability_type=kind,
            disability_grade=grade,
            marital_status="unmarried",
            full_civil_capacity=not (kind in ("intellectual", "mental") and grade <= 2),
        )
        if self._maybe(0.3):
            child.incomes.append(("transfer", self._money(600, 2400)))
        plan = _Plan([father, mother, child], assets=[("house", self._money(40000, 120000))])
        plan.expenses = [("medical", self._money(1000, 20000))] if self._maybe(0.5) else []
        plan.categories = ["marginal", "dibao_single@2"] if grade <= 2 else ["marginal"]
        return plan

    def _university_student(self) -> _Plan:
        rng = self._rng
        father = self._person("applicant", rng.randint(44, 56), True, marital_status="married")
        father.incomes.append(("wages", self._money(14000, 36000)))
        mother = self._person(
            "spouse",
            rng.randint(42, 54),
            False,
            labor_capacity="partial",
            serious_illness=True,
            marital_status="married",
        )
        if self._maybe(0.5):
            mother.incomes.append(("farming", self._money(500, 6000)))
        members = [father, mother]
        members.append(
            self._person(
                "child",
                rng.randint(18, 23),
                self._maybe(0.5),
                education_level=rng.choice(("bachelor", "higher_vocational", "secondary_vocational")),
                marital_status="unmarried",
            )
        )
        if self._maybe(0.4):
            members.append(
                self._person(
                    "child",
                    rng.randint(12, 17),
                    self._maybe(0.5),
                    labor_capacity="none",
                    education_level="senior_secondary",
                    marital_status="unmarried",
                )
            )
        plan = _Plan(members, assets=[("house", self._money(50000, 150000))])
        plan.expenses = [
            ("medical", self._money(15000, 70000)),
            ("education", self._money(6000, 18000)),
        ]
        if self._maybe(0.2):
            plan.expenses.append(("other", self._money(1000, 6000)))
        plan.categories = ["rigid_expense"] if self._maybe(0.6) else ["monitoring"]
        return plan

    def _three_generations(self) -> _Plan:
        rng = self._rng
        father = self._person(
            "applicant",
            rng.randint(34, 52),
            True,
            lives_together=self._maybe(0.5),
            marital_status="married",
        )
        father.incomes.append(("wages", self._money(18000, 60000)))
        if self._maybe(0.2):
            father.incomes.append(("business", self._money(2000, 12000)))
        mother = self._person("spouse", rng.randint(32, 50), False, marital_status="married")
        mother.incomes.append(("farming", self._money(4000, 20000)))
        members = [father, mother]
        for male in rng.sample((True, False), rng.randint(1, 2)):
            grandparent = self._person(
                "parent",
                rng.randint(62, 88),
                male,
                labor_capacity="none",
                marital_status="married" if male else "widowed",
                serious_illness=self._maybe(0.25),
            )
            grandparent.incomes.append(("transfer", self._money(1500, 3600)))
            members.append(grandparent)
        for _ in range(rng.randint(0 if len(members) == 4 else 1, 2)):
            members.append(
                self._person(
                    "child",
                    rng.randint(4, 17),
                    self._maybe(0.5),
                    labor_capacity="none",
                    education_level="primary",
                    marital_status="unmarried",
                )
            )
        if self._maybe(0.1):  # an uncle who moved out long ago: on file, not active
            uncle = self._person("sibling", rng.randint(30, 50), True, marital_status="married")
            uncle.incomes.append(("wages", self._money(30000, 80000)))
            uncle.is_active = False
            members.append(uncle)
        plan = _Plan(members, assets=[("house", self._money(80000, 260000))])
        if self._maybe(0.4):
            plan.assets.append(("vehicle", self._money(25000, 90000)))
        if self._maybe(0.5):
            plan.assets.append(("deposit", self._money(2000, 60000)))
        if self._maybe(0.2):
            plan.assets.append(("insurance", self._money(1000, 20000)))
        if self._maybe(0.2):
            plan.assets.append(("house", self._money(100000, 300000)))
        plan.categories = ["monitoring"]
        return plan

    def _grandparents_raising(self) -> _Plan:
        rng = self._rng
        grandfather = self._person(
            "applicant", rng.randint(58, 78), True, labor_capacity="partial", marital_status="married"
        )
        grandfather.incomes.append(("farming", self._money(2000, 9000)))
        grandfather.incomes.append(("transfer", self._money(1200, 2400)))
        members = [grandfather]
        if self._maybe(0.7):
            grandmother = self._person(
                "spouse", rng.randint(56, 76), False, labor_capacity="partial", marital_status="married"
            )
            grandmother.incomes.append(("transfer", self._money(1200, 2400)))
            members.append(grandmother)
        for _ in range(rng.randint(1, 3)):
            members.append(
                self._person(
                    "grandchild",
                    rng.randint(3, 16),
                    self._maybe(0.5),
                    labor_capacity="none",
                    education_level="primary",
                    marital_status="unmarried",
                )
            )
        plan = _Plan(members, assets=[("house", self._money(20000, 80000))])
        # The grandchildren's parents: working far away, sometimes unable to pay.
        grandchild = len(members) - 1
        plan.supporters = [(grandchild, "parent", self._maybe(0.6)) for _ in range(rng.randint(1, 2))]
        plan.categories = [rng.choice(("dibao", "monitoring", "marginal"))]
        return plan

    def _ill_adult(self) -> _Plan:
        rng = self._rng
        person = self._person(
            "applicant",
            rng.randint(30, 59),
            self._maybe(0.6),
            labor_capacity=rng.choice(("partial", "none")),
            serious_illness=True,
            marital_status=rng.choice(("unmarried", "divorced")),
        )
        if self._maybe(0.6):
            person.incomes.append(("wages", self._money(1000, 15000)))
        members = [person]
        if self._maybe(0.5):
            sibling = self._person(
                "sibling",
                rng.randint(25, 60),
                self._maybe(0.5),
                lives_together=self._maybe(0.5),
                shares_finances=self._maybe(0.5),
                imprisoned=self._maybe(0.1),
            )
            sibling.incomes.append(("wages", self._money(5000, 40000)))
            members.append(sibling)
        plan = _Plan(members, assets=[("house", self._money(20000, 80000))] if self._maybe(0.6) else [])
        plan.expenses = [("medical", self._money(8000, 90000))]
        plan.supporters = [(0, "parent", self._maybe(0.3))] if self._maybe(0.4) else []
        plan.categories = [rng.choice(("dibao", "rigid_expense", "tekun@0"))]
        return plan

    # --- the household -------------------------------------------------------------------------

    def _household(self, index: int) -> HouseholdSpec:
        rng = self._rng
        plan = rng.choice(self._makers)()
        village = self._villages[index % len(self._villages)]
        surname = rng.choice(SURNAMES)
        for person in plan.members:
            own_surname = person.relation in ("applicant", "child", "grandchild", "sibling")
            person.name = (surname if own_surname else rng.choice(SURNAMES)) + rng.choice(GIVEN)
            person.id_number = self._ids.issue(person.birth_date, person.male)
        if self._maybe(self._broken_rate) and len(plan.members) > 1:
            plan.members[0].is_active = False
        spec = HouseholdSpec(
            number=f"{village.code}-{index + 1:07d}",
            village_code=village.code,
            hukou_type="urban" if self._maybe(0.15) else "rural",
            address=f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
            phone=f"13{rng.randint(100000000, 999999999)}",
            members=plan.members,
            assets=plan.assets,
            expenses=plan.expenses,
            supporters=[
                SupporterSpec(who, rng.choice(SURNAMES) + rng.choice(GIVEN), relation, able)
                for who, relation, able in plan.supporters
            ],
        )
        settled = self._settled_categories(spec) if self._maybe(self._settled_rate) else None
        for code in settled or plan.categories:
            if "@" in code:  # a member-level category: "tekun@2", "dibao_single@2"
                category, member = code.split("@")
                spec.enrollments.append(EnrollmentSpec(category, int(member), ENROLLED_FROM))
            else:
                spec.enrollments.append(EnrollmentSpec(code, None, ENROLLED_FROM))
        if self._maybe(0.05):  # a category that ended before the current one began
            spec.enrollments.append(EnrollmentSpec("dibao", None, date(2023, 7, 1), date(2024, 12, 31)))
        return spec

    def _settled_categories(self, spec: HouseholdSpec) -> list[str]:
        """The engine's categories for the household today, in the plan's notation; [] when it finds none
        or the stored data cannot be evaluated."""
        try:
            facts = validate_snapshot(snapshot(spec), shape_checked=True)
        except SnapshotInvalid:
            return []
        evaluation = evaluate(facts, self._parameters)
        codes = [code for code in evaluation.categories if code not in ("tekun", "dibao_single")]
        active = [index for index, person in enumerate(spec.members) if person.is_active]
        for position, member in enumerate(evaluation.members):  # refs are positions among the active
            if "tekun" in member.categories:
                codes.append(f"tekun@{active[position]}")
            if "dibao_single" in member.categories:
                codes.append(f"dibao_single@{active[position]}")
        return codes


@dataclass
class _Plan:
    members: list[Person]
    assets: list[tuple[str, Decimal]] = field(default_factory=list)
    expenses: list[tuple[str, Decimal]] = field(default_factory=list)
    supporters: list[tuple[int, str, bool]] = field(default_factory=list)  # (member index, relation, able)
    categories: list[str] = field(default_factory=list)  # "<code>@<index>": a member's (tekun, dibao_single)


def _money_text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def snapshot(spec: HouseholdSpec, *, as_of: date = AS_OF) -> dict[str, Any]:
    """The v1 snapshot of a generated household, shaped as `household_snapshot` shapes a stored one
    (active members only; refs are the member's position)."""
    members = []
    refs: dict[int, str] = {}
    for index, person in enumerate(spec.members):
        if not person.is_active:
            continue
        refs[index] = str(index + 1)
        members.append(
            {
                "ref": refs[index],
                "name": person.name,
                "id_number": person.id_number,
                "relation": person.relation,
                "birth_date": person.birth_date.isoformat(),
                "lives_together": person.lives_together,
                "shares_finances": person.shares_finances,
                **({"marital_status": person.marital_status} if person.marital_status else {}),
                "full_time_student": bool(person.education_level),
                **({"education_level": person.education_level} if person.education_level else {}),
                "disability_grade": person.disability_grade,
                "disability_type": person.disability_type or None,
                "serious_illness": person.serious_illness,
                "labor_capacity": person.labor_capacity,
                "imprisoned": person.imprisoned,
                "full_civil_capacity": person.full_civil_capacity,
                "annual_income": _money_text(person.annual_income),
            }
        )
    financial = sum(
        (value for kind, value in spec.assets if kind in ("deposit", "securities", "insurance")), Decimal(0)
    )
    vehicles = [value for kind, value in spec.assets if kind == "vehicle"]
    expenses = {kind: Decimal(0) for kind in ("medical", "education", "other")}
    for kind, amount in spec.expenses:
        expenses[kind] += amount
    return {
        "schema": "household-snapshot/1",
        "as_of": as_of.isoformat(),
        "hukou_type": spec.hukou_type,
        "region_code": spec.village_code,
        "members": members,
        "assets": {
            "financial_assets": _money_text(financial),
            "motor_vehicles": len(vehicles),
            "motor_vehicle_value": _money_text(sum(vehicles, Decimal(0))),
            "houses": sum(1 for kind, _ in spec.assets if kind == "house"),
            "registered_business": any(kind == "business" for kind, _ in spec.assets),
        },
        "annual_rigid_expenses": {kind: _money_text(amount) for kind, amount in expenses.items()},
        "external_supporters": [
            {
                "name": supporter.name,
                "supports": refs[supporter.supports],
                "relation": supporter.relation,
                "able_to_support": supporter.able_to_support,
            }
            for supporter in spec.supporters
            if supporter.supports in refs
        ],
    }


def villages(units: Sequence[OrgUnitSpec]) -> list[OrgUnitSpec]:
    return [unit for unit in units if unit.kind == "village"]
