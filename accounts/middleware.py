"""Sign-in rules that hold on every page (DESIGN §3.13): a staff password older than PASSWORD_MAX_AGE_DAYS
must be changed before anything else, and the page says why and since when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from . import sessions, twofactor
from .models import User
from .passwords import max_age_days

# Paths a user whose password must change may still reach.
OPEN_PREFIXES = ("/accounts/", "/static/", "/favicon.ico", "/public/", "/api/", "/robots.txt")


def password_expired(user: User) -> bool:
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - timedelta(days=max_age_days())


class PasswordAge:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and password_expired(user)
        ):
            changed = timezone.localtime(user.password_changed_at or user.date_joined)
            messages.warning(
                request,
                f"您的密码自{changed:%Y年%-m月%-d日}起已使用超过{max_age_days()}天。按网络安全等级保护要求，"
                "工作人员须定期更换密码，请先修改密码再继续使用。",
            )
            return redirect(reverse("password_change"))
        return self.get_response(request)


TWO_FACTOR_OPEN = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/favicon.ico", "/public/", "/api/")


class TwoFactor:
    """A user whose role needs two factors reaches no page before the second one: enrolled, the code;
    not yet, the enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_OPEN)
            and twofactor.required(user)
            and not user.is_verified()  # type: ignore[attr-defined]  # django-otp's middleware sets it
        ):
            target = "two_factor_verify" if twofactor.has_device(user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


ENDED_ELSEWHERE = (
    "您的账号已在其他地方登录，这里的登录已经结束（每个账号同时只能在一处登录）。"
    "如果不是您本人登录的，请登录后立即修改密码并告知系统管理员。"
)


class SessionEndedNotice:
    """The first request of a browser whose session a sign-in elsewhere ended gets the reason, once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and not user.is_authenticated and sessions.told_ended(request):
            messages.warning(request, ENDED_ELSEWHERE)
        return self.get_response(request)
