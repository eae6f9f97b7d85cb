"""Parameters in the database, the snapshot builder, assessments and the medical-assistance ratio."""

from datetime import date
from decimal import Decimal

import pytest

from daye_relief.errors import InvalidInput
from eligibility import services
from eligibility.evaluation import evaluate_submitted
from eligibility.models import Assessment, PolicyParameter
from eligibility.parameters import PARAMETER_DEFAULTS
from eligibility.selectors import (
    ParametersMissing,
    ParameterTable,
    household_snapshot,
    household_snapshot_queryset,
    member_medical_assistance_ratio,
)
from eligibility.snapshot import validate_snapshot
from households.models import Asset, Enrollment, ExternalSupporter, Income, RigidExpense

from ..factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db


def test_migration_loads_exactly_the_defaults_of_design_3_3():
    rows = {row.code: row for row in PolicyParameter.objects.all()}
    assert len(rows) == len(PARAMETER_DEFAULTS) == PolicyParameter.objects.count()
    for row in rows.values():
        assert (row.region_code, row.valid_from, row.valid_to) == ("420281", date(2025, 1, 1), None)
    assert (rows["dibao_standard_rural"].value, rows["dibao_standard_rural"].placeholder) == (
        Decimal(600),
        True,
    )
    assert rows["dibao_standard_urban"].value == Decimal(780)
    assert (rows["marginal_multiplier"].value, rows["marginal_multiplier"].placeholder) == (Decimal(2), False)
    assert rows["monitoring_standard_annual"].value == Decimal(7800)
    assert rows["medical_ratio_dibao"].value == Decimal(70)
    assert rows["notice_days"].value == Decimal(5)


def test_most_specific_region_in_force_wins_and_valid_to_is_inclusive():
    services.parameter_save(
        code="dibao_standard_rural",
        region_code="420281104",
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 6, 30),
        value=Decimal("650"),
        source="镇试行文件",
    )
    table = ParameterTable.load()
    assert table.in_force("420281104201", date(2026, 6, 30)).dibao_standard_rural == Decimal(650)
    assert table.in_force("420281104201", date(2026, 7, 1)).dibao_standard_rural == Decimal(600)
    assert table.in_force("420281101201", date(2026, 3, 1)).dibao_standard_rural == Decimal(600)
    refs = table.in_force("420281104201", date(2026, 3, 1)).refs
    assert any(ref.endswith("dibao_standard_rural@420281104/2026-01-01") for ref in refs)


def test_regions_with_the_same_rows_in_force_share_one_set():
    """Every village without rows of its own reads the city's set: one object, so what the engine derives
    from a set (its limits) is derived once for the city's 300 villages, not once per village."""
    services.parameter_save(
        code="dibao_standard_rural",
        region_code="420281104",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        value=Decimal("650"),
        source="镇试行文件",
    )
    table = ParameterTable.load()
    on = date(2026, 3, 1)
    city_a, city_b = table.in_force("420281101201", on), table.in_force("420281101202", on)
    town_a, town_b = table.in_force("420281104201", on), table.in_force("420281104202", on)
    assert city_a is city_b
    assert town_a is town_b
    assert city_a is not town_a
    assert (city_a.dibao_standard_rural, town_a.dibao_standard_rural) == (Decimal(600), Decimal(650))
    assert table.in_force("420281", date(2025, 6, 1)) is city_a  # the same rows on another day


def test_no_row_in_force_is_a_clear_error():
    with pytest.raises(ParametersMissing) as excinfo:
        ParameterTable.load().in_force("420281", date(2024, 12, 31))
    assert "2024-12-31 没有生效的参数：农村低保标准（每月）" in str(excinfo.value)


def test_overlapping_validity_is_refused_with_a_clear_message():
    with pytest.raises(InvalidInput) as excinfo:
        services.parameter_save(
            code="dibao_standard_rural",
            region_code="420281",
            valid_from=date(2026, 1, 1),
            valid_to=None,
            value=Decimal("650"),
            source="2026年文件",
        )
    assert excinfo.value.errors["valid_from"] == [
        (
            "与已有的“农村低保标准（每月）”（420281，2025-01-01 至 长期，数值 600）有效期重叠。"
            "请先为已有记录设置失效日期，或勾选“自动截止上一条”。"
        )
    ]
    assert PolicyParameter.objects.filter(code="dibao_standard_rural").count() == 1


def test_close_previous_ends_the_old_row_the_day_before():
    services.parameter_save(
        code="dibao_standard_rural",
        region_code="420281",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        value=Decimal("650"),
        source="2026年文件",
        close_previous=True,
    )
    old, new = PolicyParameter.objects.filter(code="dibao_standard_rural").order_by("valid_from")
    assert old.valid_to == date(2025, 12, 31)
    assert (new.value, new.valid_to, new.unit) == (Decimal(650), None, "yuan_per_month")
    assert old.history.count() == 2  # created by the migration, then ended


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("business_allowed_dibao", Decimal(2), "该参数只能填 1（是）或 0（否）。"),
        ("vehicles_allowed_marginal", Decimal("1.5"), "该参数只能是整数。"),
        ("dibao_standard_rural", Decimal(-1), "数值不能为负数。"),
    ],
)
def test_parameter_values_are_checked(code, value, message):
    with pytest.raises(InvalidInput) as excinfo:
        services.parameter_save(
            code=code,
            region_code="420281",
            valid_from=date(2030, 1, 1),
            valid_to=None,
            value=value,
            source="x",
        )
    assert excinfo.value.errors["value"] == [message]


@pytest.fixture
def stored_household(world):
    household = world.household_a1
    applicant = household.members.get()
    spouse = MemberFactory(
        household=household,
        name="柯二嫂",
        relation="spouse",
        birth_date=date(1962, 2, 3),
        id_number=valid_id(date(1962, 2, 3), male=False),
        labor_capacity="partial",
        serious_illness=True,
    )
    Income.objects.create(member=applicant, kind="farming", annual_amount=Decimal("5000.00"))
    Income.objects.create(member=applicant, kind="transfer", annual_amount=Decimal("1200.50"))
    Income.objects.create(member=spouse, kind="wages", annual_amount=Decimal("3000"))
    Asset.objects.create(household=household, kind="deposit", value=Decimal("8000"))
    Asset.objects.create(household=household, kind="house", value=Decimal("60000"))
    ExternalSupporter.objects.create(
        household=household, supports=applicant, name="柯大宝", relation="child", able_to_support=False
    )
    return household


def test_snapshot_builder_turns_a_stored_household_into_a_valid_v1_snapshot(stored_household):
    loaded = household_snapshot_queryset().get(pk=stored_household.pk)
    data = household_snapshot(loaded, as_of=date(2026, 3, 1))
    assert data["schema"] == "household-snapshot/1"
    assert data["region_code"] == "420281104201"
    applicant = next(m for m in data["members"] if m["relation"] == "applicant")
    assert applicant["annual_income"] == "6200.50"
    assert data["assets"] == {
        "financial_assets": "8000.00",
        "motor_vehicles": 0,
        "motor_vehicle_value": "0.00",
        "houses": 1,
        "registered_business": False,
    }
    assert data["external_supporters"][0]["supports"] == applicant["ref"]
    # Judged as a submitted JSON would be: the per-capita income is (6200.50 + 3000) / 2 / 12.
    result = evaluate_submitted(data).to_json()
    assert result["per_capita_monthly_income"] == "383.35"
    assert "dibao" in result["categories"]


def test_assessment_keeps_snapshot_parameters_and_result(stored_household, world):
    assessment = services.assessment_record(
        household=stored_household, as_of=date(2026, 3, 1), acting_user=world.users["town_clerk"]
    )
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.snapshot["members"][0]["name"] == "柯大山"
    assert stored.result["per_capita_monthly_income"] == "383.35"
    assert stored.primary_category == stored.result["primary_category"]
    assert len(stored.parameters) == len(PARAMETER_DEFAULTS)
    assert stored.created_by == world.users["town_clerk"]


def test_medical_assistance_ratio_most_favorable_wins(stored_household):
    applicant = stored_household.members.get(relation="applicant")
    spouse = stored_household.members.get(relation="spouse")
    on = date(2026, 3, 1)
    assert member_medical_assistance_ratio(member=applicant, on=on) is None
    assert member_medical_assistance_ratio(member=applicant, on=on, illness_impoverished=True) == Decimal(50)
    Enrollment.objects.create(household=stored_household, category="monitoring", start_date=date(2025, 1, 1))
    Enrollment.objects.create(household=stored_household, category="marginal", start_date=date(2025, 1, 1))
    assert member_medical_assistance_ratio(member=applicant, on=on) == Decimal(60)
    Enrollment.objects.create(
        household=stored_household, member=spouse, category="dibao_single", start_date=date(2025, 1, 1)
    )
    assert member_medical_assistance_ratio(member=spouse, on=on) == Decimal(70)
    assert member_medical_assistance_ratio(member=applicant, on=on) == Decimal(60)
    Enrollment.objects.create(
        household=stored_household, member=applicant, category="tekun", start_date=date(2026, 3, 2)
    )
    assert member_medical_assistance_ratio(member=applicant, on=on) == Decimal(60)
    assert member_medical_assistance_ratio(member=applicant, on=date(2026, 3, 2)) == Decimal(100)


def test_bulk_snapshots_equal_the_one_at_a_time_builder(stored_household, world):
    from eligibility.selectors import enrolled_snapshots

    Enrollment.objects.create(household=stored_household, category="dibao", start_date=date(2025, 1, 1))
    Enrollment.objects.create(
        household=world.household_b1, category="monitoring", start_date=date(2025, 1, 1)
    )
    Asset.objects.create(household=stored_household, kind="vehicle", value=Decimal("12000.5"))
    RigidExpense.objects.create(household=stored_household, kind="medical", annual_amount=Decimal("3300.25"))
    RigidExpense.objects.create(household=stored_household, kind="medical", annual_amount=Decimal("100"))
    world.household_b1.members.update(is_active=False)  # an inactive member is left out of both
    on = date(2026, 3, 1)
    rows = list(enrolled_snapshots(on=on, chunk_size=1))
    bulk = {row.household_id: (row.data, row.current) for row in rows}
    assert set(bulk) == {stored_household.pk, world.household_b1.pk}
    for pk, (data, _) in bulk.items():
        single = household_snapshot(household_snapshot_queryset().get(pk=pk), as_of=on)
        assert data == single
        assert list(data) == list(single)
    assert bulk[stored_household.pk][1] == {"dibao"}
    # The facts a run evaluates are those of the snapshot, whether built from it or straight from the rows.
    facts = {row.household_id: row.facts() for row in rows}
    assert facts[stored_household.pk] == validate_snapshot(bulk[stored_household.pk][0], shape_checked=True)
    assert bulk[world.household_b1.pk][0]["members"] == []
