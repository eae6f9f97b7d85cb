"""The compiled schema check is only a quick "valid?": whatever it passes the full validator passes too,
and the errors reported (paths, codes, Chinese messages) are the full validator's, on any input."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility import snapshot as snapshot_module
from eligibility.snapshot import SnapshotInvalid, validate_snapshot
from households.idnumbers import make

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


# The quick ID-number and birth-date check of the rules beyond the schema: whenever it calls a member clean,
# the full checks (which word the errors) find nothing; it may only say "not sure", never hide an error.
ID_NUMBERS = st.one_of(
    st.builds(
        lambda region, born, sequence: make(region, born, sequence),
        st.sampled_from(["420281", "110101", "000000"]),
        st.dates(date(1880, 1, 1), date(2030, 12, 31)),
        st.integers(0, 999),
    ),
    st.text(alphabet="0123456789Xx-１ \n", min_size=16, max_size=19),
    st.sampled_from(ODD_VALUES),
)


def _mutated(number: Any, position: int, digit: str) -> Any:
    if not isinstance(number, str) or not number:
        return number
    position %= len(number)
    return number[:position] + digit + number[position + 1 :]


@settings(max_examples=3000, deadline=None)
@given(
    number=ID_NUMBERS,
    mutate=st.booleans(),
    position=st.integers(0, 17),
    digit=st.sampled_from(list("0123456789X")),
    birth_from_number=st.booleans(),
    other_birth=st.one_of(
        st.dates(date(1880, 1, 1), date(2030, 12, 31)).map(date.isoformat), st.sampled_from(ODD_VALUES)
    ),
    as_of=st.one_of(st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.none()),
)
def test_the_quick_identity_check_never_hides_an_error(
    number: Any,
    mutate: bool,
    position: int,
    digit: str,
    birth_from_number: bool,
    other_birth: Any,
    as_of: Any,
) -> None:
    birth = other_birth
    if birth_from_number and isinstance(number, str) and len(number) >= 14 and number[6:14].isdigit():
        birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    if mutate:
        number = _mutated(number, position, digit)
    person = {"id_number": number, "birth_date": birth}
    if snapshot_module.identity_surely_clean(number, birth, as_of):
        assert snapshot_module._id_number_errors(person, "$.members[0]") == []
        assert snapshot_module._birth_date_errors(person, "$.members[0]", as_of and as_of.isoformat()) == []


def test_the_quick_identity_check_passes_a_correct_member() -> None:
    number = make("420281", date(1960, 5, 17), 123)
    assert snapshot_module.identity_surely_clean(number, "1960-05-17", date(2026, 3, 1))
    assert not snapshot_module.identity_surely_clean(number, "1960-05-18", date(2026, 3, 1))
    wrong_check = number[:17] + ("0" if number[17] != "0" else "1")
    assert not snapshot_module.identity_surely_clean(wrong_check, "1960-05-17", None)
