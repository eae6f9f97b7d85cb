"""Per-department API tokens: the key is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from accounts.glossary import OrgKind
from accounts.models import OrgUnit
from daye_relief.errors import InvalidInput

from ..models import ApiToken


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, department: OrgUnit, name: str) -> tuple[ApiToken, str]:
    """A new token for a department, and its key (shown once)."""
    if department.kind != OrgKind.DEPARTMENT:
        raise InvalidInput("接口令牌只能发给部门。", field="department")
    key = "dr_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        department=department, name=name, prefix=key[:8], digest=token_digest(key)
    )
    return token, key


def api_token_find(key: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("department").filter(digest=token_digest(key), revoked=False).first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
