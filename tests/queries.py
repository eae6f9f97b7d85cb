"""One way to say "no query per row": the page (or file) takes the same number of queries with more rows,
**and** the rows added are in it. A flat count alone also holds when the page shows nothing at all (issue
18.8: two such tests passed with the feature broken)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_text(response: Any) -> str:
    """What a person reads in an answer: the HTML's text, or every cell of an XLSX file."""
    body = response.content if hasattr(response, "content") else response
    if body[:2] == b"PK":  # an XLSX file
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode() if isinstance(body, bytes) else str(body)


def assert_flat_queries(
    fetch: Callable[[], Any],
    add_rows: Callable[[], Iterable[str]],
    *,
    read: Callable[[Any], str] = page_text,
    warm: bool = True,
) -> tuple[str, str]:
    """Fetches once (warming caches, when `warm`), counts the queries of a fetch, adds rows with `add_rows()`
    (which returns texts that the added rows show and that were not there before), fetches again and
    checks: the same number of queries, every text now shown. Returns the two answers' texts."""
    if warm:
        fetch()
    with CaptureQueriesContext(connection) as few:
        before = read(fetch())
    shown = list(add_rows())
    assert shown, "add_rows() names no text that the added rows show"
    assert [text for text in shown if text in before] == [], "the added rows' texts were already shown"
    with CaptureQueriesContext(connection) as more:
        after = read(fetch())
    assert [text for text in shown if text not in after] == [], "the added rows are not shown"
    assert len(more) == len(few), f"{len(few)} queries before, {len(more)} after adding rows:\n" + "\n".join(
        q["sql"][:200] for q in more.captured_queries[len(few) :]
    )
    return before, after
