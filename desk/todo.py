"""Each role's day of work (issue 11 point 1): small functions, each returning one to-do item — its label,
how many, and the link to the list behind it (`desk.lists`, whose query the count is taken from).

The home page shows, per role the user holds, the items of that role (an item two roles share once).
"""

from __future__ import annotations

from collections.abc import Callable
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


def _item(key: str, user: Any, on: date, *, urgent: bool = False) -> Todo:
    return Todo(
        key=key,
        label=lists.LISTS[key].label,
        count=lists.count(key, user, on),
        url=reverse("desk:list", args=[key]),
        urgent=urgent,
    )


# The town clerk (镇社会事务办) -------------------------------------------------------------------------


def clerk_inbox(user: Any, on: date) -> Todo:
    return _item("inbox", user, on)


def cases_due_soon(user: Any, on: date) -> Todo:
    return _item("due_soon", user, on)


def cases_overdue(user: Any, on: date) -> Todo:
    return _item("overdue", user, on, urgent=True)


def approvals_to_file(user: Any, on: date) -> Todo:
    return _item("to_file", user, on)


def returned_filings(user: Any, on: date) -> Todo:
    return _item("returned_filings", user, on, urgent=True)


def town_warnings(user: Any, on: date) -> Todo:
    return _item("town_warnings", user, on)


def town_warnings_overdue(user: Any, on: date) -> Todo:
    return _item("town_warnings_overdue", user, on, urgent=True)


def discovery_leads(user: Any, on: date) -> Todo:
    return _item("leads", user, on)


def check_tasks(user: Any, on: date) -> Todo:
    return _item("check_tasks", user, on)


def check_tasks_overdue(user: Any, on: date) -> Todo:
    return _item("check_tasks_overdue", user, on, urgent=True)


def temporary_assistance_unexplained(user: Any, on: date) -> Todo:
    return _item("temporary_unexplained", user, on)


def needs_to_match(user: Any, on: date) -> Todo:
    return _item("open_needs", user, on)


def visits_overdue(user: Any, on: date) -> Todo:
    return _item("visits_overdue", user, on, urgent=True)


def visits_due(user: Any, on: date) -> Todo:
    return _item("visits_due", user, on)


def risk_reviews_to_acknowledge(user: Any, on: date) -> Todo:
    return _item("risk_reviews_filed", user, on)


# The task force (镇工作专班) ----------------------------------------------------------------------------


def cases_to_deliberate(user: Any, on: date) -> Todo:
    return _item("to_deliberate", user, on)


# Village staff (村(居)委会) -----------------------------------------------------------------------------


def cases_awaiting_notice(user: Any, on: date) -> Todo:
    return _item("awaiting_notice", user, on)


def notices_to_post(user: Any, on: date) -> Todo:
    return _item("notices_to_post", user, on)


def notices_to_close(user: Any, on: date) -> Todo:
    return _item("notices_to_close", user, on, urgent=True)


# The bureaus' reviewers (市民政局, 市农业农村局) -----------------------------------------------------------


def filings_to_acknowledge(user: Any, on: date) -> Todo:
    return _item("filings_pending", user, on)


def escalated_warnings(user: Any, on: date) -> Todo:
    return _item("escalated_warnings", user, on, urgent=True)


def proposals_to_decide(user: Any, on: date) -> Todo:
    return _item("proposals", user, on)


def departments_not_delivered(user: Any, on: date) -> Todo:
    return _item("missing_departments", user, on)


# A department (教育、医保、…) ------------------------------------------------------------------------


def department_warnings(user: Any, on: date) -> Todo:
    return _item("department_warnings", user, on)


def department_warnings_overdue(user: Any, on: date) -> Todo:
    return _item("department_warnings_overdue", user, on, urgent=True)


def department_deliveries_missing(user: Any, on: date) -> Todo:
    return _item("department_missing", user, on)


TodoFn = Callable[[Any, date], Todo]

ROLE_TODOS: dict[str, tuple[TodoFn, ...]] = {
    Role.TOWN_CLERK: (
        clerk_inbox,
        cases_due_soon,
        cases_overdue,
        approvals_to_file,
        returned_filings,
        town_warnings,
        town_warnings_overdue,
        discovery_leads,
        check_tasks,
        check_tasks_overdue,
        temporary_assistance_unexplained,
        needs_to_match,
    ),
    Role.TOWN_AGRI_OFFICER: (
        cases_due_soon,
        cases_overdue,
        town_warnings,
        town_warnings_overdue,
        discovery_leads,
        check_tasks,
        check_tasks_overdue,
        temporary_assistance_unexplained,
        needs_to_match,
    ),
    Role.TASK_FORCE: (cases_to_deliberate, cases_due_soon, cases_overdue),
    Role.VILLAGE_STAFF: (
        cases_awaiting_notice,
        notices_to_post,
        notices_to_close,
        visits_due,
        visits_overdue,
    ),
    Role.CIVIL_AFFAIRS_REVIEWER: (
        filings_to_acknowledge,
        escalated_warnings,
        proposals_to_decide,
        departments_not_delivered,
        needs_to_match,
    ),
    Role.AGRI_BUREAU_REVIEWER: (
        filings_to_acknowledge,
        risk_reviews_to_acknowledge,
        escalated_warnings,
        proposals_to_decide,
        departments_not_delivered,
    ),
    Role.DEPARTMENT_USER: (department_warnings, department_warnings_overdue, department_deliveries_missing),
}


@dataclass(frozen=True)
class Section:
    role_label: str
    items: list[Todo]


def desk_for(user: Any, on: date) -> list[Section]:
    """The user's to-do items, grouped by role; an item two of the user's roles share appears once. A
    fixed number of queries (one count per item)."""
    seen: set[TodoFn] = set()
    sections = []
    for role in Role.values:
        if role not in scope_of(user).roles or role not in ROLE_TODOS:
            continue
        items = []
        for todo in ROLE_TODOS[role]:
            if todo in seen:
                continue
            seen.add(todo)
            items.append(todo(user, on))
        if items:
            sections.append(Section(role_label=Role(role).label, items=items))
    return sections
