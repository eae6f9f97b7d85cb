"""The vocabulary is defined once (households/codes.py): the Django choices, the engine and the snapshot
schema all spell the same codes and labels."""

import ast
import json
from pathlib import Path

from accounts.orgs import CITY
from eligibility import engine
from eligibility.parameters import DEFAULT_REGION_CODE
from eligibility.snapshot import SCHEMA_PATH
from households import codes, glossary

ROOT = Path(__file__).resolve().parents[2]


def test_django_choices_are_built_from_the_codes() -> None:
    assert glossary.Relation.choices == list(codes.RELATIONS)
    assert glossary.Category.choices == list(codes.CATEGORIES)
    assert glossary.DisabilityGrade.choices == list(codes.DISABILITY_GRADES)
    assert glossary.Relation.APPLICANT == "applicant"
    assert glossary.Category("dibao_single").label == "单人户低保"
    assert engine.CATEGORY_LABELS["monitoring"] == glossary.Category.MONITORING.label == "防止返贫监测"
    assert tuple(code for code in glossary.Category.values if code != "case_by_case") == engine.CATEGORY_ORDER


def test_region_code_is_defined_once() -> None:
    assert codes.REGION_CODE == "420281"
    assert DEFAULT_REGION_CODE == CITY[0] == codes.REGION_CODE


def test_snapshot_schema_enums_are_the_codes() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    member = schema["$defs"]["member"]["properties"]
    enum = lambda prop: [value for value in prop["enum"] if value is not None]  # noqa: E731
    assert enum(schema["properties"]["hukou_type"]) == [code for code, _ in codes.HUKOU_TYPES]
    assert enum(member["relation"]) == [code for code, _ in codes.RELATIONS]
    assert enum(member["marital_status"]) == [code for code, _ in codes.MARITAL_STATUSES]
    assert enum(member["education_level"]) == [code for code, _ in codes.EDUCATION_LEVELS]
    assert enum(member["disability_type"]) == [code for code, _ in codes.DISABILITY_TYPES]
    assert enum(member["labor_capacity"]) == [code for code, _ in codes.LABOR_CAPACITIES]
    supporter = schema["properties"]["external_supporters"]["items"]["properties"]
    assert enum(supporter["relation"]) == [code for code, _ in codes.SUPPORTER_RELATIONS]


def test_every_choice_member_the_code_names_exists() -> None:
    """The choices are built from data, so the type checker cannot see their members: this does."""
    names = {"HukouType", "Relation", "Sex", "MaritalStatus", "EducationLevel", "DisabilityType"}
    names |= {"DisabilityGrade", "LaborCapacity", "IncomeKind", "AssetKind", "ExpenseKind"}
    names |= {"SupporterRelation", "Category"}
    missing = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in names
                and node.attr.isupper()
                and not hasattr(getattr(glossary, node.value.id), node.attr)
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert missing == []
