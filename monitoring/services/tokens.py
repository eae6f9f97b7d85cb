"""Per-department API tokens: the key is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.access import scope_of
from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit, User
from daye_relief.errors import InvalidInput
from journal import services as journal
from journal.codes import Action, ObjectKind

from ..models import ApiToken


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


TOKEN_LIFETIME_DAYS = 365


def default_expiry() -> date:
    return timezone.localdate() + timedelta(days=TOKEN_LIFETIME_DAYS)


def still_valid() -> Q:
    """Not revoked, and not past its expiry date (a token without one is from before expiry existed)."""
    return Q(revoked=False) & (Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))


def api_token_create(
    *, department: OrgUnit, name: str, expires_on: date | None = None, acting_user: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for a department, and its key (shown once); it expires on `expires_on` (a year on)."""
    if department.kind != OrgKind.DEPARTMENT:
        raise InvalidInput("接口令牌只能发给部门。", field="department")
    expires_on = expires_on or default_expiry()
    if expires_on <= timezone.localdate():
        raise InvalidInput("有效期须晚于今天。", field="expires_on")
    key = "dr_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        department=department, name=name, prefix=key[:8], digest=token_digest(key), expires_on=expires_on
    )
    journal.note(
        None,
        Action.TOKEN_ISSUE,
        object_kind=ObjectKind.TOKEN,
        object_id=f"department:{token.pk}",
        user=acting_user,
        detail={"department": department.code, "expires_on": expires_on.isoformat()},
    )
    return token, key


def api_token_find(key: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("department").filter(still_valid(), digest=token_digest(key)).first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def department_holds_token(user: Any) -> bool:
    """Whether a department user's department holds a valid API token: then two factors are required."""
    departments = [unit for role, unit in scope_of(user).assignments if role == Role.DEPARTMENT_USER]
    return (
        bool(departments) and ApiToken.objects.filter(still_valid(), department_id__in=departments).exists()
    )
