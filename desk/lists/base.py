"""What a desk list is, and the role sets the lists are opened by."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from accounts.glossary import Role

Rows = QuerySet[Any] | Sequence[Any]

TOWN_CASE_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.TASK_FORCE})
TOWN_WARNING_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})
REVIEWERS = frozenset({Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER})
STATS_ROLES = frozenset({*TOWN_CASE_ROLES, *REVIEWERS, Role.VILLAGE_STAFF})


@dataclass(frozen=True)
class DeskList:
    label: str
    roles: frozenset[str]
    columns: tuple[str, ...]
    query: Callable[[Any, date, dict[str, str]], Rows]
    cells: Callable[[Any], list[str]]
    link: Callable[[Any], str]


def dashboard_period(on: date, params: dict[str, str]) -> tuple[date, date]:
    """The dashboard's period from the list's parameters; by default the year to date."""
    try:
        return date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
    except (KeyError, ValueError):
        return date(on.year, 1, 1), on
