"""The lists behind the desk's counts: each to-do count and each dashboard figure links to one of these, and
the count is the length of the very query the list shows, so a count and its list never disagree.

A list is a query in the user's scope (the other apps' read filters and selectors), the roles that may open
it, its columns and one row per object with a link to the object's own page. `rows(key, user, on, params)`
is what both the count (`.count()` / `len`) and the page (paginated) read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from accounts.access import scope_of

from . import assistance, cases, monitoring, warnings
from .base import DeskList, Rows

__all__ = ["LISTS", "DeskList", "Rows", "count", "may_open", "rows"]

LISTS: dict[str, DeskList] = {**cases.LISTS, **warnings.LISTS, **monitoring.LISTS, **assistance.LISTS}


def rows(key: str, user: Any, on: date, params: dict[str, str] | None = None) -> Rows:
    return LISTS[key].query(user, on, params or {})


def count(key: str, user: Any, on: date, params: dict[str, str] | None = None) -> int:
    found = rows(key, user, on, params)
    return found.count() if isinstance(found, QuerySet) else len(found)


def may_open(key: str, user: Any) -> bool:
    spec = LISTS.get(key)
    return spec is not None and bool(scope_of(user).roles & spec.roles)
