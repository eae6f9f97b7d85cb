from typing import Any

from django.http import HttpRequest

from .access import (
    can_export_central_check,
    can_read_evaluation,
    can_view_parameters,
    can_view_reevaluations,
    department_ids,
    filing_queue_bureaus,
    risk_read_towns,
    scope_of,
)
from .glossary import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's role labels and which menu entries to show (each page checks again)."""
    if not hasattr(request, "user"):  # an error page for a request refused before authentication (400)
        return {"user_role_labels": [], "nav": {}}
    scope = scope_of(request.user)
    return {
        "user_role_labels": [Role(role).label for role in sorted(scope.roles)],
        "nav": {
            "households": scope.reads_any_household,
            "cases": scope.reads_any_household,
            # 线上申请: the town clerks handle their town's (online/).
            "online": Role.TOWN_CLERK in scope.roles,
            "filing_bureaus": filing_queue_bureaus(request.user),
            "parameters": can_view_parameters(request.user),
            "reevaluations": can_view_reevaluations(request.user),
            "monitoring": scope.reads_any_household or bool(department_ids(request.user)),
            "visits": scope.reads_any_household,
            "risk": risk_read_towns(request.user) != frozenset(),
            "assistance": scope.reads_any_household,
            "evaluation": can_read_evaluation(request.user),
            # 核查: the check tasks for household readers; the central check export for the administrator.
            "checks": "monitoring:checks"
            if scope.reads_any_household
            else "monitoring:check_plans"
            if can_export_central_check(request.user)
            else "",
        },
    }
