"""The shipped defaults (DESIGN §3.3) and building a parameter set from stored rows."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from eligibility.parameters import (
    DEFAULT_REGION_CODE,
    DEFAULT_VALID_FROM,
    PARAMETER_CODES,
    PARAMETER_DEFAULTS,
    InvalidParameters,
    ParameterSet,
    default_parameter_set,
)

DEFAULT_VALUES = {default.code: default.value for default in PARAMETER_DEFAULTS}


def test_defaults_cover_every_field_once() -> None:
    fields = [field.name for field in dataclasses.fields(ParameterSet) if field.name != "refs"]

    assert sorted(PARAMETER_CODES) == sorted(fields)
    assert len(set(PARAMETER_CODES)) == len(PARAMETER_CODES)
    assert (DEFAULT_REGION_CODE, DEFAULT_VALID_FROM.isoformat()) == ("420281", "2025-01-01")


def test_default_values_of_design_3_3() -> None:
    params = default_parameter_set()

    assert (params.dibao_standard_rural, params.dibao_standard_urban) == (Decimal(600), Decimal(780))
    assert params.dibao_standard("rural") == Decimal(600)
    assert params.dibao_standard("urban") == Decimal(780)
    assert params.tekun_standard_multiplier == Decimal("1.3")
    assert params.marginal_multiplier == Decimal(2)
    assert params.monitoring_standard_annual == Decimal(7800)
    assert (params.disposable_income("rural"), params.disposable_income("urban")) == (
        Decimal(21000),
        Decimal(45000),
    )
    assert params.rigid_expense_ratio == Decimal(1)
    assert (params.financial_assets_months_dibao, params.financial_assets_months_marginal) == (12, 24)
    assert (params.vehicles_allowed_dibao, params.vehicles_allowed_marginal, params.vehicle_value_months) == (
        0,
        1,
        24,
    )
    assert (params.dwellings_allowed_dibao, params.dwellings_allowed_marginal) == (1, 2)
    assert (params.business_allowed_dibao, params.business_allowed_marginal) == (False, False)
    assert params.gradual_exit_months == 6
    assert [
        params.medical_ratio_tekun,
        params.medical_ratio_dibao,
        params.medical_ratio_monitoring,
        params.medical_ratio_marginal,
        params.medical_ratio_illness,
    ] == [Decimal(100), Decimal(70), Decimal(60), Decimal(60), Decimal(50)]
    assert (params.premium_subsidy_tekun, params.premium_subsidy_dibao) == (Decimal(100), Decimal(90))
    assert (params.notice_days, params.notice_unit) == (5, "calendar_days")
    assert (params.visit_interval_months_tekun_dibao, params.visit_interval_months_others) == (3, 6)


@pytest.mark.parametrize(
    ("code", "placeholder", "unit"),
    [
        ("dibao_standard_rural", True, "yuan_per_month"),
        ("monitoring_standard_annual", True, "yuan_per_year"),
        ("tekun_standard_multiplier", False, "multiplier"),
        ("marginal_multiplier", False, "multiplier"),
        ("rigid_expense_ratio", False, "multiplier"),
        ("vehicles_allowed_marginal", False, "count"),
        ("medical_ratio_dibao", False, "percent"),
        ("notice_days", False, "days"),
        ("notice_working_days", False, "bool"),
        ("gradual_exit_months", True, "months"),
    ],
)
def test_placeholder_flags_and_units(code: str, placeholder: bool, unit: str) -> None:
    default = next(default for default in PARAMETER_DEFAULTS if default.code == code)

    assert (default.placeholder, default.unit) == (placeholder, unit)
    assert default.label
    assert default.source


def test_from_values_echoes_refs_and_reads_booleans() -> None:
    values = DEFAULT_VALUES | {"notice_working_days": Decimal(1), "business_allowed_marginal": Decimal("1.0")}

    params = ParameterSet.from_values(values, refs=("row:1", "row:2"))

    assert params.refs == ("row:1", "row:2")
    assert params.notice_unit == "working_days"
    assert params.business_allowed_marginal is True


def test_from_values_ignores_unknown_codes() -> None:
    assert ParameterSet.from_values(
        DEFAULT_VALUES | {"other_app_code": Decimal(3)}
    ) == ParameterSet.from_values(DEFAULT_VALUES)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"notice_working_days": Decimal(2)}, "参数 notice_working_days 只能为 0 或 1，现为 2。"),
        (
            {"vehicles_allowed_marginal": Decimal("1.5")},
            "参数 vehicles_allowed_marginal 应为整数，现为 1.5。",
        ),
        ({"dibao_standard_rural": Decimal(-1)}, "参数 dibao_standard_rural 的值 -1 无效。"),
    ],
)
def test_from_values_rejects_wrong_kinds(change: dict[str, Decimal], message: str) -> None:
    with pytest.raises(InvalidParameters) as caught:
        ParameterSet.from_values(DEFAULT_VALUES | change)

    assert str(caught.value) == message


def test_from_values_names_missing_codes() -> None:
    values = {
        code: value
        for code, value in DEFAULT_VALUES.items()
        if code not in {"notice_days", "marginal_multiplier"}
    }

    with pytest.raises(InvalidParameters) as caught:
        ParameterSet.from_values(values)

    assert str(caught.value) == "缺少参数：marginal_multiplier, notice_days"
