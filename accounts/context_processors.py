from typing import Any

from django.http import HttpRequest

from .access import scope_of
from .glossary import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's role labels, for the page header."""
    scope = scope_of(request.user)
    return {"user_role_labels": [Role(role).label for role in sorted(scope.roles)]}
