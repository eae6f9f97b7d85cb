"""The compiled schema check is only a quick "valid?": whatever it passes the full validator passes too,
and the errors reported (paths, codes, Chinese messages) are the full validator's, on any input."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility import snapshot as snapshot_module
from eligibility.snapshot import SnapshotInvalid, validate_snapshot

from .builders import household, member
from .test_properties import households

ODD_VALUES = [
    None,
    True,
    False,
    0,
    1,
    1.0,
    2.5,
    -1,
    100,
    10**20,
    "",
    "x",
    "0",
    "1\n",
    "１２",
    "12.345",
    "2025-02-30",
    "2025-2-3",
    "1899-12-31",
    "rural",
    "applicant",
    "household-snapshot/1",
    [],
    {},
    [1],
    {"a": 1},
]


def _full_check(data: Any) -> list[Any]:
    validator = snapshot_module._validator()
    return [found for error in validator.iter_errors(data) for found in snapshot_module._schema_errors(error)]


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every value inside `data`."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*path, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = draw(households())
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _places(data) if p]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["set", "set", "delete", "extra"]))
        if action == "set":
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "ref", "name", "houses"]))] = draw(
                st.sampled_from(ODD_VALUES)
            )
    return data


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated())
def test_the_quick_check_never_passes_what_the_full_one_refuses(data):
    before = copy.deepcopy(data)
    assert snapshot_module._schema_problems(data) == _full_check(data)
    if snapshot_module._passes_fast_check(data):
        assert _full_check(data) == []
    assert data == before  # neither check fills in defaults


def test_errors_are_the_full_validators_where_the_quick_check_is_stricter():
    data = household(member(income="1\n"), member("b", "spouse", born="2025-02-30"))
    assert not snapshot_module._passes_fast_check(data)
    with pytest.raises(SnapshotInvalid) as refused:
        validate_snapshot(data)
    assert refused.value.to_json() == [
        {
            "path": "$.members[1].birth_date",
            "code": "schema",
            "message": '"2025-02-30" 不是有效日期，应为 YYYY-MM-DD。',
        }
    ]
