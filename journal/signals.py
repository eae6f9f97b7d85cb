"""Sign-in, its failures and sign-out, and password changes, as journal rows (DESIGN §3.13)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from accounts.models import RoleAssignment

from . import services
from .codes import Action, ObjectKind


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.note(request, Action.SIGN_IN, object_kind=ObjectKind.USER, object_id=user.pk, user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username typed is kept (it names an account, not a family); the password never is.
    services.note(
        request,
        Action.SIGN_IN_FAILED,
        object_kind=ObjectKind.USER,
        username=str(credentials.get("username", ""))[:150] or "（未填用户名）",
    )


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.note(request, Action.SIGN_OUT, object_kind=ObjectKind.USER, object_id=user.pk, user=user)


def _current_request() -> Any:
    """The request being served (simple-history's middleware keeps it for the history rows), if any."""
    return getattr(HistoricalRecords.context, "request", None)


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def _role_changed(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    """A role given, changed or taken away (in the admin or anywhere else), with who did it."""
    request = _current_request()
    removed = "created" not in kwargs
    services.note(
        request,
        Action.ROLE_CHANGE,
        object_kind=ObjectKind.USER,
        object_id=instance.user_id,
        detail={
            "change": "removed" if removed else "added" if kwargs.get("created") else "changed",
            "role": instance.role,
            "org_unit": instance.org_unit_id,
        },
    )
