"""Staff passwords as 等保三级 asks (DESIGN §3.13): at least 10 characters of three of the four character
classes, not the username, not one of the last 5; changed every 90 days (accounts.middleware)."""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from .models import PasswordRecord

CLASSES = (
    ("小写字母", set(string.ascii_lowercase)),
    ("大写字母", set(string.ascii_uppercase)),
    ("数字", set(string.digits)),
)
NEEDED_CLASSES = 3


def _classes(password: str) -> int:
    found = sum(1 for _, chars in CLASSES if set(password) & chars)
    symbols = any(not (c.isascii() and c.isalnum()) for c in password)
    return found + symbols


class CharacterClassesValidator:
    """Three of: lower-case letters, upper-case letters, digits, other characters; and not the username."""

    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < NEEDED_CLASSES:
            raise ValidationError(
                "密码须包含小写字母、大写字母、数字、符号四类中的至少三类。", code="password_classes"
            )
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_has_username")

    def get_help_text(self) -> str:
        return "密码须包含小写字母、大写字母、数字、符号四类中的至少三类，且不能包含用户名。"


class HistoryValidator:
    """Not one of the user's last `count` passwords (their hashes are kept in PasswordRecord)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        recent = PasswordRecord.objects.filter(user=user).order_by("-set_at")[: self.count]
        if any(check_password(password, record.password) for record in recent):
            raise ValidationError(f"不能使用最近{self.count}次用过的密码。", code="password_reused")

    def get_help_text(self) -> str:
        return f"不能使用最近{self.count}次用过的密码。"


def max_age_days() -> int:
    return int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))
