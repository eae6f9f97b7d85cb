"""Snapshot validation: every error with its JSON path, all collected at once; defaults filled in."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from eligibility.snapshot import (
    SCHEMA_PATH,
    Assets,
    MemberFacts,
    RigidExpenses,
    SnapshotInvalid,
    Supporter,
    validate_snapshot,
)
from households.idnumbers import make

from .builders import household, member

ID_1980 = make("420281", date(1980, 1, 1), 123)
BAD_CHECK = ID_1980[:-1] + ("1" if ID_1980[-1] != "1" else "2")


def _errors(data: Any) -> list[tuple[str, str, str]]:
    with pytest.raises(SnapshotInvalid) as caught:
        validate_snapshot(data)
    return [(e.path, e.code, e.message) for e in caught.value.errors]


def _valid() -> dict[str, Any]:
    return household(
        member("a", id_number=ID_1980),
        member("s", "spouse", born="1982-03-04"),
        external_supporters=[{"supports": "a", "relation": "child", "able_to_support": True}],
    )


# Optional member properties v1 has gained since the shared contract was written (issue 17 point 6): a
# snapshot valid under the shared contract stays valid and means the same (each has a default).
V1_ADDITIONS = {"parents_status": "able"}


def test_schema_copy_is_the_shared_contract_plus_optional_member_fields() -> None:
    shared = Path("/work/shared/schemas/household-snapshot.v1.json")
    if not shared.exists():
        pytest.skip("shared contract not on this machine")
    ours, theirs = json.loads(SCHEMA_PATH.read_text()), json.loads(shared.read_text())
    member_properties = ours["$defs"]["member"]["properties"]
    added = {name: member_properties.pop(name) for name in list(member_properties) if name in V1_ADDITIONS}
    assert ours == theirs
    assert {name: spec["default"] for name, spec in added.items()} == V1_ADDITIONS
    assert not set(V1_ADDITIONS) & set(ours["$defs"]["member"].get("required", []))


def test_valid_snapshot_gives_typed_facts_with_defaults() -> None:
    snapshot = validate_snapshot(_valid())

    assert snapshot.as_of == date(2025, 6, 1)
    assert snapshot.hukou_type == "rural"
    assert snapshot.region_code == "420281"
    assert snapshot.assets == Assets(Decimal(0), 0, Decimal(0), 0, registered_business=False)
    assert snapshot.annual_rigid_expenses == RigidExpenses(Decimal(0), Decimal(0), Decimal(0))
    assert snapshot.external_supporters == (Supporter("a", "child", able_to_support=True),)
    assert snapshot.members[0] == MemberFacts(
        ref="a",
        relation="applicant",
        birth_date=date(1980, 1, 1),
        labor_capacity="full",
        annual_income=Decimal(0),
        id_number=ID_1980,
        lives_together=True,
        shares_finances=True,
        full_time_student=False,
        serious_illness=False,
        imprisoned=False,
        full_civil_capacity=True,
    )


def test_money_is_decimal_and_given_values_are_kept() -> None:
    data = household(
        member("a", income="1234.5", lives_together=False, disability_grade=2, disability_type="visual"),
        region_code="420281104",
        assets={
            "financial_assets": "100.01",
            "motor_vehicles": 1,
            "motor_vehicle_value": "9000",
            "houses": 2,
        },
        annual_rigid_expenses={"medical": "10.5", "education": "1"},
    )

    snapshot = validate_snapshot(data)

    assert snapshot.region_code == "420281104"
    assert snapshot.members[0].annual_income == Decimal("1234.50")
    assert snapshot.members[0].lives_together is False
    assert snapshot.members[0].disability_grade == 2
    assert snapshot.assets == Assets(Decimal("100.01"), 1, Decimal(9000), 2, registered_business=False)
    assert snapshot.annual_rigid_expenses.total == Decimal("11.5")


Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is KeyError:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            _set("members.0.id_number", BAD_CHECK),
            [("$.members[0].id_number", "id_number_invalid", "身份证号码校验位不正确，请核对每一位数字。")],
            id="check-digit",
        ),
        pytest.param(
            _set("members.0.id_number", make("420281", date(1980, 1, 2), 5)),
            [
                (
                    "$.members[0].id_number",
                    "birth_date_mismatch",
                    "身份证号码中的出生日期 1980-01-02 与出生日期 1980-01-01 不一致。",
                )
            ],
            id="birth-date-mismatch",
        ),
        pytest.param(
            _set("members.0.id_number", "42028119801301123X"),
            [
                (
                    "$.members[0].id_number",
                    "id_number_invalid",
                    "身份证号码中的出生日期 19801301 不是有效日期。",
                )
            ],
            id="impossible-birth-date-in-id",
        ),
        pytest.param(
            _set("members.0.id_number", "4202811980010112x"),
            [
                (
                    "$.members[0].id_number",
                    "schema",
                    "身份证号码应为18位，前17位为数字，最后一位为数字或大写X。",
                )
            ],
            id="id-shape",
        ),
        pytest.param(
            _set("members.0.relation", "child"),
            [("$.members", "no_applicant", "家庭成员中没有申请人（relation 为 applicant）。")],
            id="no-applicant",
        ),
        pytest.param(
            _set("members.1.relation", "applicant"),
            [
                (
                    "$.members[1].relation",
                    "multiple_applicants",
                    "家庭中只能有一名申请人，此处为多出的申请人。",
                )
            ],
            id="two-applicants",
        ),
        pytest.param(
            _set("members.0.imprisoned", True),
            [("$.members[0].imprisoned", "imprisoned_applicant", "申请人正在服刑，不能作为申请人。")],
            id="imprisoned-applicant",
        ),
        pytest.param(
            _set("external_supporters.0.supports", "nobody"),
            [
                (
                    "$.external_supporters[0].supports",
                    "unknown_ref",
                    "被赡养（扶养、抚养）人 nobody 不是家庭成员。",
                )
            ],
            id="unknown-ref",
        ),
        pytest.param(
            _set("members.1.ref", "a"),
            [("$.members[1].ref", "duplicate_ref", "成员标识 a 重复。")],
            id="duplicate-ref",
        ),
        pytest.param(
            _set("as_of", "2025-02-30"),
            [("$.as_of", "schema", '"2025-02-30" 不是有效日期，应为 YYYY-MM-DD。')],
            id="impossible-date",
        ),
        pytest.param(
            _set("members.1.birth_date", "20250101"),
            [("$.members[1].birth_date", "schema", '"20250101" 不是有效日期，应为 YYYY-MM-DD。')],
            id="compact-date-refused",
        ),
        pytest.param(
            _set("members.1.annual_income", "12.345"),
            [
                (
                    "$.members[1].annual_income",
                    "schema",
                    '金额 "12.345" 格式不正确，应为非负数，最多两位小数。',
                )
            ],
            id="money-three-decimals",
        ),
        pytest.param(
            _set("members.1.annual_income", 1200),
            [("$.members[1].annual_income", "schema", "类型应为字符串。")],
            id="money-as-number",
        ),
        pytest.param(
            _set("members.1.labor_capacity", KeyError),
            [("$.members[1].labor_capacity", "schema", "缺少必填字段。")],
            id="missing-field",
        ),
        pytest.param(
            _set("members.1.nickname", "阿四"),
            [("$.members[1].nickname", "schema", "不允许的字段。")],
            id="unknown-field",
        ),
        pytest.param(
            _set("hukou_type", "village"),
            [("$.hukou_type", "schema", '取值 "village" 不在允许范围内："rural"、"urban"。')],
            id="enum",
        ),
        pytest.param(
            _set("schema", "household-snapshot/2"),
            [("$.schema", "schema", '取值应为 "household-snapshot/1"。')],
            id="schema-version",
        ),
        pytest.param(
            _set("region_code", "4202"),
            [("$.region_code", "schema", "地区代码应为6位、9位或12位数字。")],
            id="region-code",
        ),
        pytest.param(
            _set("members.1.disability_grade", 5),
            [("$.members[1].disability_grade", "schema", "不能大于 4。")],
            id="disability-grade",
        ),
        pytest.param(
            _set("members", []),
            [
                (
                    "$.external_supporters[0].supports",
                    "unknown_ref",
                    "被赡养（扶养、抚养）人 a 不是家庭成员。",
                ),
                ("$.members", "schema", "至少应有 1 项。"),
            ],
            id="no-members",
        ),
    ],
)
def test_each_error_with_its_path(mutate: Mutation, expected: list[tuple[str, str, str]]) -> None:
    data = copy.deepcopy(_valid())
    mutate(data)

    assert _errors(data) == expected


def test_every_error_is_collected_at_once_in_path_order() -> None:
    members = [member(f"m{i}", "sibling") for i in range(12)]
    members[0] = member("m0", "applicant", id_number=BAD_CHECK, imprisoned=True)
    members[2] = member("m2", "applicant")
    members[3] = member("m0", "spouse", born="1980-01-01", id_number=make("420281", date(1981, 5, 6), 8))
    members[10] = member("m10", "child", income="-5")
    data = household(
        *members,
        as_of="2025-6-1",
        external_supporters=[{"supports": "zz", "relation": "parent", "able_to_support": "yes"}],
    )

    assert _errors(data) == [
        ("$.as_of", "schema", '"2025-6-1" 不是有效日期，应为 YYYY-MM-DD。'),
        ("$.external_supporters[0].able_to_support", "schema", "类型应为布尔值。"),
        ("$.external_supporters[0].supports", "unknown_ref", "被赡养（扶养、抚养）人 zz 不是家庭成员。"),
        ("$.members[0].id_number", "id_number_invalid", "身份证号码校验位不正确，请核对每一位数字。"),
        ("$.members[0].imprisoned", "imprisoned_applicant", "申请人正在服刑，不能作为申请人。"),
        ("$.members[2].relation", "multiple_applicants", "家庭中只能有一名申请人，此处为多出的申请人。"),
        (
            "$.members[3].id_number",
            "birth_date_mismatch",
            "身份证号码中的出生日期 1981-05-06 与出生日期 1980-01-01 不一致。",
        ),
        ("$.members[3].ref", "duplicate_ref", "成员标识 m0 重复。"),
        ("$.members[10].annual_income", "schema", '金额 "-5" 格式不正确，应为非负数，最多两位小数。'),
    ]


def test_three_applicants_give_an_error_on_each_extra_one() -> None:
    data = household(member("a"), member("b"), member("c"))

    assert [(path, code) for path, code, _ in _errors(data)] == [
        ("$.members[1].relation", "multiple_applicants"),
        ("$.members[2].relation", "multiple_applicants"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, [("$", "schema", "类型应为对象。")]),
        ([], [("$", "schema", "类型应为对象。")]),
        (
            {},
            [
                ("$.as_of", "schema", "缺少必填字段。"),
                ("$.hukou_type", "schema", "缺少必填字段。"),
                ("$.members", "schema", "缺少必填字段。"),
                ("$.schema", "schema", "缺少必填字段。"),
            ],
        ),
        (
            household(member(), "not a member"),  # type: ignore[arg-type]
            [("$.members[1]", "schema", "类型应为对象。")],
        ),
        (
            household(
                member(), {"relation": "child"}, external_supporters=[{"supports": "x", "relation": "child"}]
            ),
            [
                ("$.external_supporters[0].able_to_support", "schema", "缺少必填字段。"),
                ("$.members[1].annual_income", "schema", "缺少必填字段。"),
                ("$.members[1].birth_date", "schema", "缺少必填字段。"),
                ("$.members[1].labor_capacity", "schema", "缺少必填字段。"),
                ("$.members[1].ref", "schema", "缺少必填字段。"),
            ],
        ),
    ],
)
def test_malformed_documents(data: Any, expected: list[tuple[str, str, str]]) -> None:
    assert _errors(data) == expected


def test_errors_as_json_for_the_api() -> None:
    data = household(member("a", "spouse"))

    with pytest.raises(SnapshotInvalid) as caught:
        validate_snapshot(data)

    assert caught.value.to_json() == [
        {
            "path": "$.members",
            "code": "no_applicant",
            "message": "家庭成员中没有申请人（relation 为 applicant）。",
        }
    ]
    assert json.loads(json.dumps(caught.value.to_json())) == caught.value.to_json()
    assert str(caught.value) == "$.members: 家庭成员中没有申请人（relation 为 applicant）。"
