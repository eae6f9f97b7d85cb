"""Each role's day of work (issue 11 point 1): per role, the to-do items — each a label, how many, and the
link to the list behind it (`desk.lists`, whose query the count is taken from).

The home page shows, per role the user holds, the items of that role (an item two roles share once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from accounts.access import scope_of
from accounts.glossary import Role

from . import lists


@dataclass(frozen=True)
class Todo:
    key: str
    label: str
    count: int
    url: str
    # Shown in red when there is anything: past a deadline.
    urgent: bool = False


def _item(key: str, user: Any, on: date) -> Todo:
    return Todo(
        key=key,
        label=lists.LISTS[key].label,
        count=lists.count(key, user, on),
        url=reverse("desk:list", args=[key]),
        urgent=key in URGENT,
    )


# Past a deadline: shown in red when there is anything.
URGENT = frozenset(
    {
        "check_tasks_overdue",
        "department_warnings_overdue",
        "escalated_warnings",
        "notices_to_close",
        "overdue",
        "returned_filings",
        "town_warnings_overdue",
        "visits_overdue",
    }
)

# Per role, the lists (`desk.lists.LISTS` keys) whose counts make its day of work, in the order shown.
ROLE_TODOS: dict[str, tuple[str, ...]] = {
    Role.TOWN_CLERK: (
        "inbox",
        "due_soon",
        "overdue",
        "to_file",
        "returned_filings",
        "town_warnings",
        "town_warnings_overdue",
        "leads",
        "check_tasks",
        "check_tasks_overdue",
        "temporary_unexplained",
        "open_needs",
    ),
    Role.TOWN_AGRI_OFFICER: (
        "due_soon",
        "overdue",
        "town_warnings",
        "town_warnings_overdue",
        "leads",
        "check_tasks",
        "check_tasks_overdue",
        "temporary_unexplained",
        "open_needs",
    ),
    Role.TASK_FORCE: ("to_deliberate", "due_soon", "overdue"),
    Role.VILLAGE_STAFF: (
        "awaiting_notice",
        "notices_to_post",
        "notices_to_close",
        "visits_due",
        "visits_overdue",
    ),
    Role.CIVIL_AFFAIRS_REVIEWER: (
        "filings_pending",
        "escalated_warnings",
        "proposals",
        "missing_departments",
        "open_needs",
    ),
    Role.AGRI_BUREAU_REVIEWER: (
        "filings_pending",
        "risk_reviews_filed",
        "escalated_warnings",
        "proposals",
        "missing_departments",
    ),
    Role.DEPARTMENT_USER: ("department_warnings", "department_warnings_overdue", "department_missing"),
}


@dataclass(frozen=True)
class Section:
    role_label: str
    items: list[Todo]


def desk_for(user: Any, on: date) -> list[Section]:
    """The user's to-do items, grouped by role; an item two of the user's roles share appears once. A
    fixed number of queries (one count per item)."""
    seen: set[str] = set()
    sections = []
    for role in Role.values:
        if role not in scope_of(user).roles or role not in ROLE_TODOS:
            continue
        items = []
        for key in ROLE_TODOS[role]:
            if key in seen:
                continue
            seen.add(key)
            items.append(_item(key, user, on))
        if items:
            sections.append(Section(role_label=Role(role).label, items=items))
    return sections
