"""The sections online intake draws on the pages of apps below it (applications.case_panels): the case
workbench's online applications waiting, and on a case that came in online what the family typed. Light on
imports: registered from AppConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.access import scope_of, sees_full_id_numbers
from accounts.glossary import Role
from applications.models import Application
from eligibility.engine import CATEGORY_LABELS
from households.glossary import Relation
from households.idnumbers import mask

from . import selectors
from .models import OnlineApplication

RELATIONS = dict(Relation.choices)


def typed_members(online: OnlineApplication, *, full_ids: bool) -> list[dict[str, Any]]:
    return [
        {
            **typed,
            "shown_id": typed.get("id_number", "") if full_ids else mask(typed.get("id_number", "")),
            "relation_label": RELATIONS.get(typed.get("relation", ""), ""),
        }
        for typed in online.members
    ]


def hint_of(online: OnlineApplication) -> dict[str, Any] | None:
    if not online.hint:
        return None
    return {
        "categories": [CATEGORY_LABELS.get(code, code) for code in online.hint.get("categories", [])],
        "per_capita_monthly_income": online.hint.get("per_capita_monthly_income"),
    }


def workbench_panel(request: HttpRequest, _obj: Any) -> dict[str, Any] | None:
    """The case workbench's section of online applications waiting in the clerk's town."""
    if Role.TOWN_CLERK not in scope_of(request.user).roles:
        return None
    rows = list(selectors.inbox(user=request.user)[:10])
    if not rows:
        return None
    total = selectors.inbox(user=request.user).count() if len(rows) == 10 else len(rows)
    matches = selectors.stored_matches(rows, user=request.user)
    return {"online_rows": [(online, matches.get(online.pk)) for online in rows], "online_total": total}


def case_panel(request: HttpRequest, application: Application) -> dict[str, Any] | None:
    """On a case that came in online: what the family typed (unverified), for the investigation to check."""
    if application.channel != "online" and not application.source.startswith("online:"):
        return None
    origins = list(application.online_origins.all())
    if not origins:
        return None
    full_ids = sees_full_id_numbers(request.user)
    return {
        "origins": [
            {
                "online": online,
                "members": typed_members(online, full_ids=full_ids),
                "facts": online.household_facts,
                "hint": hint_of(online),
            }
            for online in origins
        ]
    }
