"""Two-factor sign-in (DESIGN §3.13) with django-otp: a TOTP device (a phone's authenticator app) and ten
recovery codes printed once. Required for the two bureaus' reviewers, the administrator and department
users whose department holds an API token (a rule monitoring registers); optional for everyone else."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import scope_of
from .glossary import Role
from .models import User

REQUIRED_ROLES = frozenset({Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER, Role.ADMINISTRATOR})
RECOVERY_CODES = 10
CODES_KEY = "two_factor_recovery_codes"
_extra_rules: dict[str, Callable[[User], bool]] = {}


def require_also(key: str, rule: Callable[[User], bool]) -> None:
    """An app above accounts adds who must use two factors (monitoring: department users with a token)."""
    _extra_rules[key] = rule


def required(user: User) -> bool:
    if not getattr(settings, "TWO_FACTOR_ENFORCED", True):
        return False
    return bool(scope_of(user).roles & REQUIRED_ROLES) or any(rule(user) for rule in _extra_rules.values())


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _qr_svg(url: str) -> str:
    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2).to_string(
        encoding="unicode"
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """启用两步验证: scan the code with an authenticator app, type its code; the recovery codes follow."""
    user: Any = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="手机验证器", confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            request.session[CODES_KEY] = _new_recovery_codes(user)
            return redirect("two_factor_codes")
        form.add_error("token", "验证码不对，请确认手机时间准确后，输入验证器当前显示的6位数字。")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - our own SVG from qrcode
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": required(user),
            "next": _next(request),
        },
    )


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
def codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once (printable); afterwards only a new set can be made."""
    shown = request.session.pop(CODES_KEY, None)
    if shown is None:
        return redirect("home")
    return render(request, "registration/two_factor_codes.html", {"codes": shown})


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the authenticator's code, or one recovery code (used up)."""
    user: Any = request.user
    if not has_device(user):
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", "验证码不对或已用过，请重新输入。")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})
