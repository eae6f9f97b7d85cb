"""The query-count helper fails where a flat count alone would pass (issue 18.8)."""

from __future__ import annotations

import pytest

from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db


def test_an_empty_answer_with_a_flat_count_fails() -> None:
    with pytest.raises(AssertionError, match="the added rows are not shown"):
        assert_flat_queries(lambda: b"<p>\xe6\x97\xa0</p>", lambda: ["X-001"])


def test_rows_that_were_there_before_prove_nothing() -> None:
    with pytest.raises(AssertionError, match="already shown"):
        assert_flat_queries(lambda: "X-001", lambda: ["X-001"])


def test_a_query_per_row_fails() -> None:
    from households.models import Household

    rows: list[str] = []

    def fetch() -> str:
        return "".join((Household.objects.filter(pk=0).exists() and "") or row for row in rows)

    def add_rows() -> list[str]:
        rows.extend(["A", "B"])
        return ["A", "B"]

    with pytest.raises(AssertionError, match="queries before"):
        assert_flat_queries(fetch, add_rows)


def test_a_flat_count_with_the_rows_shown_passes() -> None:
    rows: list[str] = []
    assert_flat_queries(lambda: ",".join(rows), lambda: rows.extend(["甲", "乙"]) or ["甲", "乙"])
