"""Validation of a household snapshot (schema household-snapshot/1) into frozen, typed facts.

`validate_snapshot` checks the JSON schema and the rules the schema cannot express, collects every
error with its JSON path, and either raises `SnapshotInvalid` or returns a `Snapshot` with Decimal money,
`date` dates and the schema defaults filled in. Asset counts and amounts that are absent are taken as 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from operator import mul
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError

from eligibility.parameters import DEFAULT_REGION_CODE
from households.idnumbers import CHECK_CHARS, WEIGHTS, InvalidIdNumber, parse

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "household-snapshot.v1.json"
_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_TYPE_NAMES = {
    "object": "对象",
    "array": "数组",
    "string": "字符串",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值",
    "null": "null",
}


@dataclass(frozen=True)
class SnapshotError:
    path: str  # JSON path, e.g. "$.members[1].id_number"
    code: str  # schema, id_number_invalid, birth_date_mismatch, no_applicant, ...
    message: str  # Chinese, for people

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class SnapshotInvalid(ValueError):
    """Every error found in a snapshot, in path order."""

    def __init__(self, errors: Iterable[SnapshotError]) -> None:
        self.errors: tuple[SnapshotError, ...] = tuple(errors)
        super().__init__("; ".join(f"{error.path}: {error.message}" for error in self.errors))

    def to_json(self) -> list[dict[str, str]]:
        return [error.to_json() for error in self.errors]


@dataclass(frozen=True)
class MemberFacts:
    ref: str
    relation: str
    birth_date: date
    labor_capacity: str
    annual_income: Decimal
    name: str | None = None
    id_number: str | None = None
    lives_together: bool = True
    shares_finances: bool = True
    marital_status: str | None = None
    full_time_student: bool = False
    education_level: str | None = None
    disability_grade: int | None = None
    disability_type: str | None = None
    serious_illness: bool = False
    imprisoned: bool = False
    full_civil_capacity: bool = True
    # A minor whose parents are not among the members: "unable" when they are all dead, missing or
    # without capacity to support; absent means able.
    parents_status: str = "able"


@dataclass(frozen=True)
class Assets:
    financial_assets: Decimal = Decimal(0)
    motor_vehicles: int = 0
    motor_vehicle_value: Decimal = Decimal(0)
    houses: int = 0
    registered_business: bool = False


@dataclass(frozen=True)
class RigidExpenses:
    medical: Decimal = Decimal(0)
    education: Decimal = Decimal(0)
    other: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.medical + self.education + self.other


@dataclass(frozen=True)
class Supporter:
    supports: str
    relation: str
    able_to_support: bool
    name: str | None = None


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    hukou_type: str
    members: tuple[MemberFacts, ...]
    region_code: str = DEFAULT_REGION_CODE
    assets: Assets = Assets()
    annual_rigid_expenses: RigidExpenses = RigidExpenses()
    external_supporters: tuple[Supporter, ...] = ()


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _fast_validator() -> jsonschema_rs.Validator:
    """The same schema in a compiled validator (jsonschema-rs, Rust): a quick "valid?" only. Its errors are
    not the ones we report, and on a few inputs it is stricter (a money string ending in a newline, which
    Python's `$` accepts), so whatever it refuses goes through the full validator, which alone writes
    errors. Dates are checked as the full validator checks them (formats on); nothing is filled in."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def _schema_problems(data: Any) -> list[SnapshotError]:
    if _passes_fast_check(data):
        return []
    return [found for error in _validator().iter_errors(data) for found in _schema_errors(error)]


def _passes_fast_check(data: Any) -> bool:
    try:
        return bool(_fast_validator().is_valid(data))
    except (
        Exception
    ):  # input it cannot take (a Python object JSON has no name for, too deep): the full check decides
        return False


def validate_snapshot(data: Any, *, shape_checked: bool = False) -> Snapshot:
    """Checks a JSON-decoded snapshot; raises SnapshotInvalid with every error, or returns the facts.

    `shape_checked=True` skips only the JSON-schema pass (the costly part) and is for snapshots made by
    our own builder from typed database fields, whose shape a test pins to the schema; the rules the
    schema cannot express (ID numbers, birth dates, one applicant, references) are checked always.
    """
    errors = [] if shape_checked else _schema_problems(data)
    errors.extend(_rule_errors(data))
    if errors:
        raise SnapshotInvalid(sorted(set(errors), key=lambda error: (_path_key(error.path), error.code)))
    return _build(data)


# --- JSON paths -------------------------------------------------------------------------------------


def _json_path(parts: Iterable[str | int]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)


def _path_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts "$.members[10]" after "$.members[2]"."""
    tokens = re.findall(r"\.([^.\[]+)|\[(\d+)\]", path)
    return tuple((1, int(index)) if index else (0, name) for name, index in tokens)


# --- schema errors in Chinese -------------------------------------------------------------------------


def _schema_errors(error: ValidationError) -> list[SnapshotError]:
    parts: list[str | int] = list(error.absolute_path)
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if keyword == "required":
        missing = [name for name in value if name not in instance]
        return [SnapshotError(_json_path([*parts, name]), "schema", "缺少必填字段。") for name in missing]
    if keyword == "additionalProperties":
        allowed = error.schema.get("properties", {})
        extra = [name for name in instance if name not in allowed]
        return [SnapshotError(_json_path([*parts, name]), "schema", "不允许的字段。") for name in extra]
    return [SnapshotError(_json_path(parts), "schema", _schema_message(keyword, value, instance))]


def _schema_message(keyword: Any, value: Any, instance: Any) -> str:
    if keyword == "type":
        kinds = [value] if isinstance(value, str) else value
        return f"类型应为{'或'.join(_TYPE_NAMES.get(kind, kind) for kind in kinds)}。"
    if keyword == "enum":
        return f"取值 {_shown(instance)} 不在允许范围内：{_choices(value)}。"
    if keyword == "const":
        return f"取值应为 {json.dumps(value, ensure_ascii=False)}。"
    if keyword == "format" and value == "date":
        return f"{_shown(instance)} 不是有效日期，应为 YYYY-MM-DD。"
    if keyword == "pattern":
        if value.startswith(("^[0-9]+", "^[0-9]{1,")):
            if isinstance(instance, str) and re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", instance):
                return f"金额 {_shown(instance)} 过大：整数部分最多12位。"
            return f"金额 {_shown(instance)} 格式不正确，应为非负数，最多两位小数。"
        if value.startswith("^[0-9]{17}"):
            return "身份证号码应为18位，前17位为数字，最后一位为数字或大写X。"
        if value.startswith("^[0-9]{6}"):
            return "地区代码应为6位、9位或12位数字。"
        return f"{_shown(instance)} 格式不正确。"
    if keyword == "minimum":
        return f"不能小于 {value}。"
    if keyword == "maximum":
        return f"不能大于 {value}。"
    if keyword == "minItems":
        return f"至少应有 {value} 项。"
    if keyword == "minLength":
        return "不能为空。"
    if keyword == "maxLength":
        return f"过长：最多 {value} 个字符，此处有 {len(instance)} 个。"
    if keyword == "maxItems":
        return f"最多 {value} 项，此处有 {len(instance)} 项。"
    return f"不符合数据格式要求（{keyword}）。"


def _shown(instance: Any, limit: int = 40) -> str:
    """A submitted value as a message quotes it: JSON, cut short so that no message echoes a whole body."""
    text = json.dumps(instance, ensure_ascii=False)
    return text if len(text) <= limit else f"{text[:limit]}…"


def _choices(values: Iterable[Any]) -> str:
    return "、".join(json.dumps(value, ensure_ascii=False) for value in values)


# --- rules beyond the schema -----------------------------------------------------------------------


def _rule_errors(data: Any) -> list[SnapshotError]:
    """Checks what the schema cannot; skips any part the schema already found malformed."""
    if not isinstance(data, dict):
        return []
    members = data.get("members")
    members = members if isinstance(members, list) else []
    errors: list[SnapshotError] = []
    refs: set[str] = set()
    applicants = 0
    as_of = _iso_date(data.get("as_of"))
    for index, member in enumerate(members):
        if not isinstance(member, dict):
            continue
        path = f"$.members[{index}]"
        ref = member.get("ref")
        if isinstance(ref, str):
            if ref in refs:
                errors.append(SnapshotError(f"{path}.ref", "duplicate_ref", f"成员标识 {ref} 重复。"))
            refs.add(ref)
        if not identity_surely_clean(member.get("id_number"), member.get("birth_date"), as_of):
            errors.extend(_id_number_errors(member, path))
            errors.extend(_birth_date_errors(member, path, data.get("as_of")))
        if member.get("relation") == "applicant":
            applicants += 1
            if applicants > 1:
                message = "家庭中只能有一名申请人，此处为多出的申请人。"
                errors.append(SnapshotError(f"{path}.relation", "multiple_applicants", message))
            if member.get("imprisoned") is True:
                message = "申请人正在服刑，不能作为申请人。"
                errors.append(SnapshotError(f"{path}.imprisoned", "imprisoned_applicant", message))
    if members and applicants == 0:
        errors.append(
            SnapshotError("$.members", "no_applicant", "家庭成员中没有申请人（relation 为 applicant）。")
        )
    supporters = data.get("external_supporters")
    refs_known = isinstance(data.get("members"), list) and all(
        isinstance(member, dict) and isinstance(member.get("ref"), str) for member in members
    )
    for index, supporter in enumerate(supporters if isinstance(supporters, list) and refs_known else []):
        supports = supporter.get("supports") if isinstance(supporter, dict) else None
        if isinstance(supports, str) and supports not in refs:
            path = f"$.external_supporters[{index}].supports"
            errors.append(
                SnapshotError(path, "unknown_ref", f"被赡养（扶养、抚养）人 {supports} 不是家庭成员。")
            )
    return errors


EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str) or not _DATE_SHAPE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _birth_date_errors(member: dict[str, Any], path: str, as_of: Any) -> list[SnapshotError]:
    """A birth date is not before 1900-01-01 and not after the evaluation date (schema description)."""
    birth, day = _iso_date(member.get("birth_date")), _iso_date(as_of)
    if birth is None:
        return []
    if birth < EARLIEST_BIRTH_DATE:
        message = f"出生日期 {birth.isoformat()} 早于1900年1月1日，请核对。"
        return [SnapshotError(f"{path}.birth_date", "birth_date_too_early", message)]
    if day is not None and birth > day:
        message = f"出生日期 {birth.isoformat()} 晚于测算日期 {day.isoformat()}，请核对。"
        return [SnapshotError(f"{path}.birth_date", "birth_date_in_future", message)]
    return []


# The digits' character codes weighted, less what the codes of "0" add: the weighted sum of the digits.
_ZEROS = ord("0") * sum(WEIGHTS)


def identity_surely_clean(number: Any, birth: Any, as_of: date | None) -> bool:
    """True when a member's ID number and birth date (ISO text) certainly raise none of the errors of
    `_id_number_errors` and `_birth_date_errors`: the common case, answered without building an IdInfo.
    False means "not sure": those two functions then decide and word the errors."""
    if type(number) is not str or type(birth) is not str or len(number) != 18 or len(birth) != 10:
        return False
    first17 = number[:17]
    if not (first17.isascii() and first17.isdigit()) or number[6:14] != birth[:4] + birth[5:7] + birth[8:]:
        return False
    born = _iso_date(birth)
    if born is None or born < EARLIEST_BIRTH_DATE or (as_of is not None and born > as_of):
        return False
    total = sum(map(mul, WEIGHTS, first17.encode())) - _ZEROS
    return number[17] == CHECK_CHARS[total % 11]


def _id_number_errors(member: dict[str, Any], path: str) -> list[SnapshotError]:
    number = member.get("id_number")
    if not isinstance(number, str) or not _ID_SHAPE.match(number):
        return []
    try:
        info = parse(number)
    except InvalidIdNumber as error:
        return [SnapshotError(f"{path}.id_number", "id_number_invalid", str(error))]
    birth = member.get("birth_date")
    if not isinstance(birth, str) or not _DATE_SHAPE.match(birth):
        return []
    try:
        birth_date = date.fromisoformat(birth)
    except ValueError:
        return []
    if info.birth_date != birth_date:
        message = f"身份证号码中的出生日期 {info.birth_date.isoformat()} 与出生日期 {birth} 不一致。"
        return [SnapshotError(f"{path}.id_number", "birth_date_mismatch", message)]
    return []


# --- building the facts ----------------------------------------------------------------------------


def _build(data: dict[str, Any]) -> Snapshot:
    assets = data.get("assets", {})
    expenses = data.get("annual_rigid_expenses", {})
    return Snapshot(
        as_of=date.fromisoformat(data["as_of"]),
        hukou_type=data["hukou_type"],
        region_code=data.get("region_code", DEFAULT_REGION_CODE),
        members=tuple(_member(member) for member in data["members"]),
        assets=Assets(
            financial_assets=Decimal(assets.get("financial_assets", "0")),
            motor_vehicles=int(assets.get("motor_vehicles", 0)),
            motor_vehicle_value=Decimal(assets.get("motor_vehicle_value", "0")),
            houses=int(assets.get("houses", 0)),
            registered_business=assets.get("registered_business", False),
        ),
        annual_rigid_expenses=RigidExpenses(
            medical=Decimal(expenses.get("medical", "0")),
            education=Decimal(expenses.get("education", "0")),
            other=Decimal(expenses.get("other", "0")),
        ),
        external_supporters=tuple(
            Supporter(
                supports=supporter["supports"],
                relation=supporter["relation"],
                able_to_support=supporter["able_to_support"],
                name=supporter.get("name"),
            )
            for supporter in data.get("external_supporters", [])
        ),
    )


def _member(member: dict[str, Any]) -> MemberFacts:
    grade = member.get("disability_grade")
    return MemberFacts(
        ref=member["ref"],
        relation=member["relation"],
        birth_date=date.fromisoformat(member["birth_date"]),
        labor_capacity=member["labor_capacity"],
        annual_income=Decimal(member["annual_income"]),
        name=member.get("name"),
        id_number=member.get("id_number"),
        lives_together=member.get("lives_together", True),
        shares_finances=member.get("shares_finances", True),
        marital_status=member.get("marital_status"),
        full_time_student=member.get("full_time_student", False),
        education_level=member.get("education_level"),
        disability_grade=None if grade is None else int(grade),
        disability_type=member.get("disability_type"),
        serious_illness=member.get("serious_illness", False),
        imprisoned=member.get("imprisoned", False),
        full_civil_capacity=member.get("full_civil_capacity", True),
        parents_status=member.get("parents_status", "able"),
    )
