"""The account that scheduled jobs act as, so that history names "the system" rather than nobody."""

from __future__ import annotations

from .models import User

SYSTEM_USERNAME = "system"


def system_user() -> User:
    """The inactive account a Celery task passes as `acting_user`; created on first use, never logs in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"full_name": "系统（定时任务）", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
