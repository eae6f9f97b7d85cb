"""External channels' tokens (e.g. 湖北省救助通): the key is shown once, only its SHA-256 is kept."""

from __future__ import annotations

import secrets

from django.utils import timezone

from monitoring.services.tokens import token_digest

from .models import ExternalChannel


def channel_create(*, name: str) -> tuple[ExternalChannel, str]:
    """A new external channel and its key (shown once)."""
    key = "dc_" + secrets.token_urlsafe(32)
    channel = ExternalChannel.objects.create(name=name, prefix=key[:8], digest=token_digest(key))
    return channel, key


def channel_find(key: str) -> ExternalChannel | None:
    channel = ExternalChannel.objects.filter(digest=token_digest(key), revoked=False).first()
    if channel is not None:
        ExternalChannel.objects.filter(pk=channel.pk).update(last_used_at=timezone.now())
    return channel
