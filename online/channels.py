"""External channels' tokens (e.g. 湖北省救助通): the key is shown once, only its SHA-256 is kept; each
expires (a year on, unless set at issue) and can be revoked (DESIGN §3.13)."""

from __future__ import annotations

import secrets
from datetime import date

from django.utils import timezone

from accounts.models import User
from daye_relief.errors import InvalidInput
from journal import services as journal
from journal.codes import Action, ObjectKind
from monitoring.services.tokens import default_expiry, still_valid, token_digest

from .models import ExternalChannel


def channel_create(
    *, name: str, expires_on: date | None = None, acting_user: User | None = None
) -> tuple[ExternalChannel, str]:
    """A new external channel and its key (shown once)."""
    expires_on = expires_on or default_expiry()
    if expires_on <= timezone.localdate():
        raise InvalidInput("有效期须晚于今天。", field="expires_on")
    key = "dc_" + secrets.token_urlsafe(32)
    channel = ExternalChannel.objects.create(
        name=name, prefix=key[:8], digest=token_digest(key), expires_on=expires_on
    )
    journal.note(
        None,
        Action.TOKEN_ISSUE,
        object_kind=ObjectKind.TOKEN,
        object_id=f"channel:{channel.pk}",
        user=acting_user,
        detail={"channel": name, "expires_on": expires_on.isoformat()},
    )
    return channel, key


def channel_find(key: str) -> ExternalChannel | None:
    channel = ExternalChannel.objects.filter(still_valid(), digest=token_digest(key)).first()
    if channel is not None:
        ExternalChannel.objects.filter(pk=channel.pk).update(last_used_at=timezone.now())
    return channel
