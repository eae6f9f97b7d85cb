"""Reads for eligibility: the parameters in force, and the one snapshot builder for stored households."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Prefetch, Q, QuerySet, Sum

from households.codes import REGION_CODE
from households.glossary import FINANCIAL_ASSET_KINDS, AssetKind
from households.models import Asset, Enrollment, ExternalSupporter, Household, Income, Member, RigidExpense
from households.selectors.households import enrolled_on

from .engine import REASON_LABELS, medical_assistance_ratio
from .errors import ParametersMissing
from .models import PolicyParameter
from .parameters import PARAMETER_CODES, PARAMETER_DEFAULTS, ParameterSet
from .snapshot import (
    Assets,
    MemberFacts,
    RigidExpenses,
    Snapshot,
    Supporter,
    identity_surely_clean,
    validate_snapshot,
)

CITY_REGION = REGION_CODE
LABELS = {default.code: default.label for default in PARAMETER_DEFAULTS}


def _regions_from_specific(region_code: str) -> list[str]:
    """A village code, then its town, then its county/city: the most specific row wins."""
    candidates = [region_code[:length] for length in (12, 9, 6) if len(region_code) >= length]
    if CITY_REGION not in candidates:
        candidates.append(CITY_REGION)
    return list(dict.fromkeys(candidates))


class ParameterTable:
    """Every parameter row, read once; answers "the set in force for this region on this date"."""

    def __init__(self, rows: Iterable[PolicyParameter]) -> None:
        self._rows: dict[tuple[str, str], list[PolicyParameter]] = defaultdict(list)
        for row in rows:
            self._rows[(row.code, row.region_code)].append(row)
        self._cache: dict[tuple[str, date], ParameterSet] = {}
        # One set per combination of rows in force: the villages that share their rows (all of them, until
        # a village or a town has rows of its own) share one ParameterSet, so what is derived from a set
        # and cached by it (rules.base.limits_for) is computed once, not once per village (issue 22).
        self._sets: dict[tuple[int, ...], ParameterSet] = {}

    @classmethod
    def load(cls) -> ParameterTable:
        return cls(PolicyParameter.objects.all())

    def row_in_force(self, code: str, region_code: str, on: date) -> PolicyParameter | None:
        for region in _regions_from_specific(region_code):
            for row in self._rows.get((code, region), ()):
                if row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
                    return row
        return None

    def in_force(self, region_code: str, on: date) -> ParameterSet:
        key = (region_code, on)
        if key not in self._cache:
            rows, missing = [], []
            for code in PARAMETER_CODES:
                row = self.row_in_force(code, region_code, on)
                if row is None:
                    missing.append(LABELS[code])
                else:
                    rows.append(row)
            if missing:
                raise ParametersMissing(
                    f"{on.isoformat()} 没有生效的参数：{'、'.join(missing)}。请市民政局录入。"
                )
            chosen = tuple(id(row) for row in rows)
            if chosen not in self._sets:
                self._sets[chosen] = ParameterSet.from_values(
                    {row.code: row.value for row in rows}, refs=[row.ref for row in rows]
                )
            self._cache[key] = self._sets[chosen]
        return self._cache[key]


# The snapshot builder ------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def household_snapshot_queryset() -> QuerySet[Household]:
    """Households with everything the snapshot needs, in a fixed number of queries."""
    return Household.objects.select_related("village").prefetch_related(
        Prefetch("members", queryset=Member.objects.filter(is_active=True).prefetch_related("incomes")),
        "assets",
        "rigid_expenses",
        Prefetch("external_supporters", queryset=ExternalSupporter.objects.filter(supports__is_active=True)),
    )


# The member fields a snapshot copies, read the same way from model instances and from `.values()` rows.
SNAPSHOT_MEMBER_FIELDS = (
    "id",
    "name",
    "id_number",
    "relation",
    "birth_date",
    "lives_together",
    "shares_finances",
    "marital_status",
    "full_time_student",
    "education_level",
    "disability_grade",
    "disability_type",
    "serious_illness",
    "labor_capacity",
    "imprisoned",
    "full_civil_capacity",
    "parents_status",
)


def household_snapshot(household: Household, *, as_of: date) -> dict[str, Any]:
    """The v1 snapshot (schema household-snapshot/1) of a stored household, as JSON-ready data.

    Pass a household from `household_snapshot_queryset()` to avoid a query per relation.
    """
    return _snapshot(
        _Parts(
            as_of=as_of,
            hukou_type=household.hukou_type,
            region_code=household.village.code,
            members=[
                (
                    {field: getattr(member, field) for field in SNAPSHOT_MEMBER_FIELDS},
                    sum((i.annual_amount for i in member.incomes.all()), Decimal(0)),
                )
                for member in household.members.all()
            ],
            assets=[(a.kind, a.value) for a in household.assets.all()],
            expenses=[(e.kind, e.annual_amount) for e in household.rigid_expenses.all()],
            supporters=[
                (s.name, s.supports_id, s.relation, s.able_to_support)
                for s in household.external_supporters.all()
            ],
        )
    )


@dataclass(frozen=True)
class _Parts:
    """What one household's snapshot is made of, read from the database: (member fields, total income)
    per active member in pk order, (kind, value) per asset, (kind, amount) per rigid expense, (name,
    supports id, relation, able) per external supporter of an active member in pk order."""

    as_of: date
    hukou_type: str
    region_code: str
    members: list[tuple[dict[str, Any], Decimal]]
    assets: list[tuple[str, Decimal]]
    expenses: list[tuple[str, Decimal]]
    supporters: list[tuple[str, int, str, bool]]


class _Totals(NamedTuple):
    """A household's assets and rigid expenses as the snapshot counts them (exact, not yet rounded)."""

    financial_assets: Decimal
    motor_vehicles: int
    motor_vehicle_value: Decimal
    houses: int
    registered_business: bool
    expenses: dict[str, Decimal]  # medical, education, other


def _totals(assets: Iterable[tuple[str, Decimal]], expenses: Iterable[tuple[str, Decimal]]) -> _Totals:
    assets = list(assets)
    vehicles = [value for kind, value in assets if kind == AssetKind.VEHICLE]
    expense_totals: dict[str, Decimal] = defaultdict(Decimal)
    for kind, amount in expenses:
        expense_totals[kind] += amount
    return _Totals(
        financial_assets=sum((value for kind, value in assets if kind in FINANCIAL_ASSET_KINDS), Decimal(0)),
        motor_vehicles=len(vehicles),
        motor_vehicle_value=sum(vehicles, Decimal(0)),
        houses=sum(1 for kind, _ in assets if kind == AssetKind.HOUSE),
        registered_business=any(kind == AssetKind.BUSINESS for kind, _ in assets),
        expenses={kind: expense_totals[kind] for kind in ("medical", "education", "other")},
    )


def _snapshot(parts: _Parts) -> dict[str, Any]:
    """The one snapshot builder, from the values `_Parts` holds."""
    totals = _totals(parts.assets, parts.expenses)
    return {
        "schema": "household-snapshot/1",
        "as_of": parts.as_of.isoformat(),
        "hukou_type": parts.hukou_type,
        "region_code": parts.region_code,
        "members": [
            {
                "ref": str(member["id"]),
                "name": member["name"],
                "id_number": member["id_number"],
                "relation": member["relation"],
                "birth_date": member["birth_date"].isoformat(),
                "lives_together": member["lives_together"],
                "shares_finances": member["shares_finances"],
                **({"marital_status": member["marital_status"]} if member["marital_status"] else {}),
                "full_time_student": member["full_time_student"],
                **({"education_level": member["education_level"]} if member["education_level"] else {}),
                "disability_grade": member["disability_grade"],
                "disability_type": member["disability_type"] or None,
                "serious_illness": member["serious_illness"],
                "labor_capacity": member["labor_capacity"],
                "imprisoned": member["imprisoned"],
                "full_civil_capacity": member["full_civil_capacity"],
                # Written only when recorded, so that snapshots without it stay as they were (absent = able).
                **({"parents_status": "unable"} if member["parents_status"] == "unable" else {}),
                "annual_income": _money(income),
            }
            for member, income in parts.members
        ],
        "assets": {
            "financial_assets": _money(totals.financial_assets),
            "motor_vehicles": totals.motor_vehicles,
            "motor_vehicle_value": _money(totals.motor_vehicle_value),
            "houses": totals.houses,
            "registered_business": totals.registered_business,
        },
        "annual_rigid_expenses": {kind: _money(amount) for kind, amount in totals.expenses.items()},
        "external_supporters": [
            {"name": name, "supports": str(supports_id), "relation": relation, "able_to_support": able}
            for name, supports_id, relation, able in parts.supporters
        ],
    }


_CENT = Decimal("0.01")


def _facts_if_surely_valid(parts: _Parts) -> Snapshot | None:
    """`validate_snapshot(_snapshot(...), shape_checked=True)` built straight from the database's typed
    values, without the JSON-ready text in between; or None when the household might not pass the rules
    beyond the schema (no or several applicants, an imprisoned applicant, an ID number or birth date the
    quick check is not sure of, a supporter of someone outside the household), so that the caller takes
    the snapshot's own path and reports its errors word for word. A test holds the two paths equal."""
    members, refs, applicants = [], set(), 0
    for member, income in parts.members:
        birth = member["birth_date"]
        if not identity_surely_clean(member["id_number"], birth.isoformat(), parts.as_of):
            return None
        if member["relation"] == "applicant":
            applicants += 1
            if member["imprisoned"] is True:
                return None
        grade = member["disability_grade"]
        refs.add(member["id"])
        members.append(
            MemberFacts(
                ref=str(member["id"]),
                relation=member["relation"],
                birth_date=birth,
                labor_capacity=member["labor_capacity"],
                annual_income=income.quantize(_CENT),
                name=member["name"],
                id_number=member["id_number"],
                lives_together=member["lives_together"],
                shares_finances=member["shares_finances"],
                marital_status=member["marital_status"] or None,
                full_time_student=member["full_time_student"],
                education_level=member["education_level"] or None,
                disability_grade=None if grade is None else int(grade),
                disability_type=member["disability_type"] or None,
                serious_illness=member["serious_illness"],
                imprisoned=member["imprisoned"],
                full_civil_capacity=member["full_civil_capacity"],
                parents_status=member["parents_status"],
            )
        )
    if applicants != 1 or any(supports_id not in refs for _, supports_id, _, _ in parts.supporters):
        return None
    totals = _totals(parts.assets, parts.expenses)
    return Snapshot(
        as_of=parts.as_of,
        hukou_type=parts.hukou_type,
        region_code=parts.region_code,
        members=tuple(members),
        assets=Assets(
            financial_assets=totals.financial_assets.quantize(_CENT),
            motor_vehicles=totals.motor_vehicles,
            motor_vehicle_value=totals.motor_vehicle_value.quantize(_CENT),
            houses=totals.houses,
            registered_business=totals.registered_business,
        ),
        annual_rigid_expenses=RigidExpenses(
            **{kind: amount.quantize(_CENT) for kind, amount in totals.expenses.items()}
        ),
        external_supporters=tuple(
            Supporter(supports=str(supports_id), relation=relation, able_to_support=able, name=name)
            for name, supports_id, relation, able in parts.supporters
        ),
    )


class EnrolledSnapshot:
    """One household of a bulk run: its snapshot and the categories it is enrolled in now."""

    __slots__ = ("_data", "_parts", "current", "household_id", "region_code")

    def __init__(self, household_id: int, parts: _Parts, current: set[str]) -> None:
        self.household_id = household_id
        self.region_code = parts.region_code
        self.current = current
        self._parts = parts
        self._data: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The v1 snapshot, as `household_snapshot` makes it (built when first asked for)."""
        if self._data is None:
            self._data = _snapshot(self._parts)
        return self._data

    def facts(self) -> Snapshot:
        """`validate_snapshot(self.data, shape_checked=True)`, the same facts or the same SnapshotInvalid,
        built without the snapshot's text where the household surely passes."""
        return _facts_if_surely_valid(self._parts) or validate_snapshot(self.data, shape_checked=True)


def _range_parts(
    households: QuerySet[Household], *, first_id: int, last_id: int, as_of: date
) -> Iterator[tuple[int, _Parts]]:
    """(household id, its snapshot's parts) for the households of `households` whose pk lies between
    `first_id` and `last_id`, in pk order, from six flat queries: the same snapshots as
    `household_snapshot`, without a model instance per row. Each query names the households by a pk
    range and a subquery, not by a list of ids, so its text (and its plan) stays small whatever the
    chunk's size; incomes are summed by the database (exact: numeric)."""
    in_range = households.filter(pk__gte=first_id, pk__lte=last_id)
    chosen = {
        "household_id__gte": first_id,
        "household_id__lte": last_id,
        "household_id__in": in_range.values("pk"),
    }
    incomes: dict[int, Decimal] = dict(
        Income.objects.filter(member__is_active=True, **{f"member__{k}": v for k, v in chosen.items()})
        .values("member_id")
        .annotate(total=Sum("annual_amount"))
        .values_list("member_id", "total")
    )
    members: dict[int, list[tuple[dict[str, Any], Decimal]]] = defaultdict(list)
    zero = Decimal(0)
    for row in (
        Member.objects.filter(is_active=True, **chosen)
        .order_by("household_id", "pk")
        .values("household_id", *SNAPSHOT_MEMBER_FIELDS)
    ):
        members[row["household_id"]].append((row, incomes.get(row["id"], zero)))
    assets: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for household_id, kind, value in Asset.objects.filter(**chosen).values_list(
        "household_id", "kind", "value"
    ):
        assets[household_id].append((kind, value))
    expenses: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for household_id, kind, amount in RigidExpense.objects.filter(**chosen).values_list(
        "household_id", "kind", "annual_amount"
    ):
        expenses[household_id].append((kind, amount))
    supporters: dict[int, list[tuple[str, int, str, bool]]] = defaultdict(list)
    for household_id, name, supports_id, relation, able in (
        ExternalSupporter.objects.filter(supports__is_active=True, **chosen)
        .order_by("household_id", "pk")
        .values_list("household_id", "name", "supports_id", "relation", "able_to_support")
    ):
        supporters[household_id].append((name, supports_id, relation, able))
    for household_id, hukou_type, region_code in in_range.order_by("pk").values_list(
        "pk", "hukou_type", "village__code"
    ):
        yield (
            household_id,
            _Parts(
                as_of=as_of,
                hukou_type=hukou_type,
                region_code=region_code,
                members=members[household_id],
                assets=assets[household_id],
                expenses=expenses[household_id],
                supporters=supporters[household_id],
            ),
        )


def _in_force(*, on: date, first_id: int | None, last_id: int | None) -> QuerySet[Enrollment]:
    """Enrollments in force on the date, of the households whose pk lies between the bounds given."""
    enrollments = Enrollment.objects.filter(enrolled_on(on))
    if first_id is not None:
        enrollments = enrollments.filter(household_id__gte=first_id)
    if last_id is not None:
        enrollments = enrollments.filter(household_id__lte=last_id)
    return enrollments


def enrolled_households(
    *, on: date, first_id: int | None = None, last_id: int | None = None
) -> QuerySet[Household]:
    """Active households with at least one enrollment in force on the date; with bounds, only those whose
    pk lies between them (both included). The bounds are written into the enrollments' subquery too:
    the planner does not carry the households' range into it, and would read it whole per chunk."""
    households = Household.objects.filter(
        is_active=True,
        pk__in=_in_force(on=on, first_id=first_id, last_id=last_id).values("household_id"),
    )
    if first_id is not None:
        households = households.filter(pk__gte=first_id)
    if last_id is not None:
        households = households.filter(pk__lte=last_id)
    return households


def enrolled_household_ids(*, on: date) -> list[int]:
    """The ids of every household enrolled on the date, in pk order: what a run is planned over."""
    return list(enrolled_households(on=on).order_by("pk").values_list("pk", flat=True))


def enrolled_snapshot_range(
    *, on: date, first_id: int, last_id: int, only: Collection[int] | None = None
) -> list[EnrolledSnapshot]:
    """The households enrolled on the date whose pk lies between `first_id` and `last_id` (both
    included), in pk order, each with its snapshot and its categories now: one chunk of a planned run.
    With `only`, just those of its households (the ones the pre-filter leaves to the engine)."""
    households = enrolled_households(on=on, first_id=first_id, last_id=last_id)
    current: dict[int, set[str]] = defaultdict(set)
    for household_id, category in _in_force(on=on, first_id=first_id, last_id=last_id).values_list(
        "household_id", "category"
    ):
        current[household_id].add(category)
    return [
        EnrolledSnapshot(household_id, parts, current[household_id])
        for household_id, parts in _range_parts(
            households if only is None else households.filter(pk__in=list(only)),
            first_id=first_id,
            last_id=last_id,
            as_of=on,
        )
    ]


def enrolled_snapshots(*, on: date, chunk_size: int = 2000) -> Iterator[EnrolledSnapshot]:
    """Every enrolled household with its snapshot and categories now, chunk by chunk."""
    ids = enrolled_household_ids(on=on)
    for start in range(0, len(ids), chunk_size):
        part = ids[start : start + chunk_size]
        yield from enrolled_snapshot_range(on=on, first_id=part[0], last_id=part[-1])


def member_medical_assistance_ratio(
    *, member: Member, on: date, illness_impoverished: bool = False, table: ParameterTable | None = None
) -> Decimal | None:
    """The medical-assistance ratio (percent) that applies to a member on a date: the most favorable of
    the categories the member holds, household-level or their own (DESIGN §3.7)."""
    categories = Enrollment.objects.filter(enrolled_on(on), household_id=member.household_id).filter(
        Q(member__isnull=True) | Q(member=member)
    )
    parameters = (table or ParameterTable.load()).in_force(member.household.village.code, on)
    return medical_assistance_ratio(
        categories.values_list("category", flat=True), parameters, illness_impoverished=illness_impoverished
    )


def stored_reasons(result: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """The reasons of a stored evaluation for a page or a printed form: each with `rule_label`, `member`
    (its ref), `member_name` (from `names`, ref → name, or None for a household rule) and `family_text`, the
    sentence for the family (the staff's `detail` where an old result has none)."""
    return [
        {
            **reason,
            "member": reason.get("member"),
            "member_name": names.get(reason.get("member") or "", reason.get("member")),
            "rule_label": REASON_LABELS.get(reason.get("rule", ""), reason.get("rule", "")),
            "family_text": reason.get("family_text") or reason.get("detail", ""),
        }
        for reason in result.get("reasons", [])
    ]


# The categories' medical-assistance ratio parameters, to name which category a member's ratio comes from.
_RATIO_BASIS = (
    ("tekun", "特困"),
    ("dibao", "低保"),
    ("dibao_single", "低保"),
    ("monitoring", "防返贫监测"),
    ("marginal", "低保边缘"),
)


def household_medical_assistance_ratios(
    *, household: Household, on: date, table: ParameterTable | None = None
) -> dict[int, tuple[Decimal | None, str]]:
    """Each member's medical-assistance ratio on a date (DESIGN §3.3, §3.8) and what it rests on: the most
    favorable of the household's categories and the member's own (特困, 单人户低保). A member with a serious
    illness in a 刚性支出困难 household is an illness-impoverished patient (因病致贫重病患者). Two queries
    (and the parameters unless `table` is given); (None, "") where no category gives a ratio."""
    enrolled = list(
        Enrollment.objects.filter(enrolled_on(on), household_id=household.pk).values_list(
            "category", "member_id"
        )
    )
    parameters = (table or ParameterTable.load()).in_force(household.village.code, on)
    household_level = [category for category, member_id in enrolled if member_id is None]
    ratios: dict[int, tuple[Decimal | None, str]] = {}
    for member in household.members.all():
        categories = household_level + [c for c, member_id in enrolled if member_id == member.pk]
        illness = member.serious_illness and "rigid_expense" in household_level
        ratio = medical_assistance_ratio(categories, parameters, illness_impoverished=illness)
        basis = ""
        if ratio is not None:
            basis = next(
                (
                    label
                    for code, label in _RATIO_BASIS
                    if code in categories and medical_assistance_ratio([code], parameters) == ratio
                ),
                "因病致贫重病患者",
            )
        ratios[member.pk] = (ratio, basis)
    return ratios
