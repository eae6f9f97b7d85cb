"""Keeping a password's age and history, and one session per user, as the sign-in rules need."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User
from .services import password_recorded
from .sessions import session_begun


@receiver(post_save, sender=User)
def _password_kept(sender: Any, instance: User, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    # A save of other fields (the last sign-in, at every sign-in) leaves the password as it was.
    if not kwargs.get("raw") and (fields is None or "password" in fields):
        password_recorded(user=instance)


@receiver(user_logged_in)
def _one_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session") and isinstance(user, User):
        session_begun(user=user, request=request)
