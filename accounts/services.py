"""Writes of accounts that the sign-in rules need (DESIGN §3.13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import PasswordRecord, User


def password_recorded(*, user: User) -> None:
    """Keeps the hash of the password just set (for "not one of the last 5") and the day it was set."""
    last = (
        PasswordRecord.objects.filter(user=user)
        .order_by("-set_at")
        .values_list("password", flat=True)
        .first()
    )
    if user.password and last != user.password:
        now = timezone.now()
        PasswordRecord.objects.create(user=user, password=user.password, set_at=now)
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now
        keep = PasswordRecord.objects.filter(user=user).order_by("-set_at").values_list("pk", flat=True)[:10]
        PasswordRecord.objects.filter(user=user).exclude(pk__in=list(keep)).delete()


def accounts_disable_unused(*, now: Any = None) -> int:
    """The daily job: staff accounts not used for ACCOUNT_UNUSED_DAYS days are disabled (not deleted: their
    history stays); the administrator enables one again in the admin."""
    cutoff = (now or timezone.now()) - timedelta(days=int(getattr(settings, "ACCOUNT_UNUSED_DAYS", 90)))
    stale = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    return stale.update(is_active=False)
