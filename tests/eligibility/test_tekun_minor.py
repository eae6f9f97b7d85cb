"""特困 for a minor whose parents are not in the household (issue 17 point 6, plan 二(一)2(1)): a
grandchild whose parents simply live elsewhere has supporters; only when both parents are dead, missing
or without capacity (recorded on the member) do the grandparents' means decide."""

from __future__ import annotations

from typing import Any

import pytest

from eligibility.snapshot import SnapshotInvalid, validate_snapshot

from .builders import household, member, reason, run

GRANDPARENTS = (
    member("a", born="1952-03-01", labor="partial"),
    member("s", "spouse", born="1954-08-01", labor="partial"),
)
NEWBORN = {"born": "2025-03-10"}  # AS_OF is 2025-06-01


def _tekun_members(data: dict[str, Any]) -> set[str]:
    return {m.ref for m in run(data).members if "tekun" in m.categories}


def test_a_newborn_grandchild_whose_parents_live_elsewhere_is_not_tekun() -> None:
    data = household(*GRANDPARENTS, member("g", "grandchild", **NEWBORN))

    assert _tekun_members(data) == {"a", "s"}
    passed, detail = reason(run(data), "tekun", "g")
    assert not passed
    assert "未成年人（0周岁）" in detail
    assert "有能力履行义务的法定义务人：父母（不在本户，未登记为死亡、失踪或无抚养能力）" in detail


def test_a_grandchild_whose_parents_are_recorded_unable_is_tekun_when_the_grandparents_cannot_support() -> (
    None
):
    data = household(*GRANDPARENTS, member("g", "grandchild", parents_status="unable", **NEWBORN))

    assert _tekun_members(data) == {"a", "s", "g"}
    passed, detail = reason(run(data), "tekun", "g")
    assert passed
    assert "无有能力履行义务的法定义务人" in detail


def test_a_grandparent_able_to_work_supports_the_grandchild_whose_parents_are_unable() -> None:
    data = household(
        member("a", born="1970-03-01", income="3000"),
        member("s", "spouse", born="1954-08-01", labor="partial"),
        member("g", "grandchild", parents_status="unable", born="2016-01-01"),
    )

    passed, detail = reason(run(data), "tekun", "g")
    assert not passed
    assert "有能力履行义务的法定义务人：a；" in detail
    assert "父母（不在本户" not in detail


def test_an_external_supporter_still_counts_for_a_grandchild_whose_parents_are_unable() -> None:
    data = household(
        *GRANDPARENTS,
        member("g", "grandchild", parents_status="unable", **NEWBORN),
        external_supporters=[
            {"supports": "g", "relation": "grandparent", "able_to_support": True, "name": "王桂芝"}
        ],
    )

    assert not reason(run(data), "tekun", "g")[0]


def test_an_adult_grandchild_and_a_child_of_the_applicant_are_judged_as_before() -> None:
    adult = household(*GRANDPARENTS, member("g", "grandchild", born="2000-01-01", labor="none"))
    assert "父母（不在本户" not in reason(run(adult), "tekun", "g")[1]
    # A child's parents are the applicant and the spouse, judged from their own facts: parents_status is
    # not read for a child.
    child = household(*GRANDPARENTS, member("c", "child", born="2012-01-01"))
    assert "c" in _tekun_members(child)


@pytest.mark.parametrize("value", ["dead", "", None, True])
def test_the_schema_names_a_parents_status_it_does_not_know(value: Any) -> None:
    data = household(*GRANDPARENTS, member("g", "grandchild", parents_status=value, **NEWBORN))

    with pytest.raises(SnapshotInvalid) as caught:
        validate_snapshot(data)
    assert [e.path for e in caught.value.errors] == ["$.members[2].parents_status"]


def test_a_snapshot_without_the_field_means_parents_able() -> None:
    without = household(*GRANDPARENTS, member("g", "grandchild", **NEWBORN))
    explicit = household(*GRANDPARENTS, member("g", "grandchild", parents_status="able", **NEWBORN))

    assert run(without).to_json() == run(explicit).to_json()
