"""Who acts on the system: a signed-in person (`User`), or a department's API token speaking for its
department (`DepartmentClient`). The services take an `acting_user` of these types; the pages and the API
narrow their request's user to them here, refusing anyone not signed in."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .access import Scope
from .glossary import Role
from .models import User


class DepartmentClient:
    """Who a department's token speaks for: a department user of that department, nothing more."""

    is_authenticated = True
    is_active = True
    is_staff = False
    pk = None

    def __init__(self, token: Any) -> None:
        self.token = token
        self.department = token.department
        self._daye_scope = Scope(
            roles=frozenset({Role.DEPARTMENT_USER}),
            assignments=((Role.DEPARTMENT_USER, token.department_id),),
        )

    def __str__(self) -> str:
        return f"{self.department.name}（接口）"


# Whoever a service acting for a department's data may be asked by.
Actor = User | DepartmentClient


def signed_in(request: HttpRequest | Any) -> User:
    """The signed-in person of a page's request (the page is behind login_required; this holds for any
    caller)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("请先登录。")
    return user


def api_actor(request: Any) -> Actor:
    """The person or the department's token of an API request."""
    user = request.user
    if isinstance(user, DepartmentClient | User) and user.is_authenticated:
        return user
    raise PermissionDenied("请先登录。")
