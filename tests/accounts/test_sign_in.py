"""Sign-in as 等保三级 asks (issue 21 point 4): password rules, their age and history; accounts unused for
90 days disabled; two factors for the reviewers, the administrator and token-holding departments; one
session per user; a lockout by username and client address together."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import accounts_disable_unused
from monitoring.services.tokens import api_token_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    yield
    cache.clear()


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_password_needs_ten_characters_three_classes_and_not_the_username(world):
    clerk = world.users["town_clerk"]
    for weak, told in (
        ("Ab1#short", "密码太短，至少包含 10 个字符"),
        ("lowercaseonly12", "至少三类"),
        ("Clerk_a-2026xyz", "不能包含用户名"),
    ):
        with translation.override("zh-hans"):
            with pytest.raises(ValidationError) as refused:
                validate_password(weak, clerk)
            assert told in _messages(refused.value), weak
    validate_password("Hdq#wintr2026", clerk)


def test_the_last_five_passwords_are_not_used_again(world):
    clerk = world.users["town_clerk"]
    used = [f"Used#pass{n}xyz" for n in range(6)]
    for password in used:
        clerk.set_password(password)
        clerk.save()
    for password in used[1:]:
        with translation.override("zh-hans"):
            with pytest.raises(ValidationError) as refused:
                validate_password(password, clerk)
            assert "最近5次" in _messages(refused.value)
    validate_password(used[0], clerk)  # the sixth back is allowed again


def test_a_password_older_than_90_days_must_be_changed_first(client, world):
    clerk = world.users["town_clerk"]
    User.objects.filter(pk=clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(clerk)
    response = client.get(reverse("households:list"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "已使用超过90天" in response.content.decode()
    new = "Fresh#pass2026"
    client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert client.get(reverse("households:list")).status_code == 200


def test_accounts_unused_for_90_days_are_disabled_by_the_daily_job(world):
    clerk, agri = world.users["town_clerk"], world.users["town_agri_officer"]
    User.objects.filter(pk=clerk.pk).update(last_login=timezone.now() - timedelta(days=91))
    User.objects.filter(pk=agri.pk).update(last_login=timezone.now() - timedelta(days=10))
    assert accounts_disable_unused() == 1
    assert not User.objects.get(pk=clerk.pk).is_active
    assert User.objects.get(pk=agri.pk).is_active
    assert accounts_disable_unused() == 0


def test_a_reviewer_without_a_device_is_sent_to_enroll_before_any_page(client, world, settings):
    settings.TWO_FACTOR_ENFORCED = True
    reviewer = world.users["civil_affairs_reviewer"]
    client.post(reverse("login"), {"username": reviewer.username, "password": PASSWORD})
    response = client.get(reverse("households:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    setup = client.get(response["Location"]).content.decode()
    assert "按网络安全等级保护（三级）要求" in setup
    assert "<svg" in setup
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000"}).content.decode()
    assert "验证码不对" in wrong
    # django-otp makes a device wait longer after each wrong code; this test does not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    code = f"{totp(device.bin_key):06d}"
    enrolled = client.post(reverse("two_factor_setup"), {"token": code})
    assert enrolled["Location"] == reverse("two_factor_codes")
    codes = client.get(reverse("two_factor_codes")).content.decode()
    assert codes.count("<li>") >= 10
    assert client.get(reverse("two_factor_codes")).status_code == 302  # shown once
    assert client.get(reverse("households:list")).status_code == 200

    # The next sign-in asks for the code before any page; a recovery code works once.
    other = Client()
    other.post(reverse("login"), {"username": reviewer.username, "password": PASSWORD})
    asked = other.get(reverse("households:list"))
    assert asked["Location"].startswith(reverse("two_factor_verify"))
    recovery = codes.split("<li>")[1].split("</li>")[0].strip()
    assert other.post(reverse("two_factor_verify"), {"token": recovery}).status_code == 302
    assert other.get(reverse("households:list")).status_code == 200
    third = Client()
    third.post(reverse("login"), {"username": reviewer.username, "password": PASSWORD})
    again = third.post(reverse("two_factor_verify"), {"token": recovery}).content.decode()
    assert "验证码不对或已用过" in again


def test_clerks_need_no_second_factor_and_a_department_with_a_token_does(client, world, settings):
    settings.TWO_FACTOR_ENFORCED = True
    client.force_login(world.users["town_clerk"])
    assert client.get(reverse("households:list")).status_code == 200
    department_user = world.users["department_user"]
    client.force_login(department_user)
    assert client.get(reverse("home")).status_code == 200
    department = department_user.role_assignments.get().org_unit
    api_token_create(department=department, name="医保平台")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))


def test_a_second_sign_in_ends_the_first_session_and_its_browser_is_told(world):
    first, second = Client(), Client()
    first.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert first.get(reverse("households:list")).status_code == 200
    second.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert second.get(reverse("households:list")).status_code == 200
    ended = first.get(reverse("households:list"), follow=True)
    assert ended.redirect_chain[-1][0].startswith(reverse("login"))
    assert "您的账号已在其他地方登录" in ended.content.decode()


def test_a_lockout_from_one_address_does_not_lock_the_clerk_out_from_another(world):
    attacker, clerk = Client(REMOTE_ADDR="10.9.9.9"), Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "clerk_a", "password": "wrong-guess"})
    locked = attacker.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert locked.status_code == 429
    signed = clerk.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert signed.status_code == 302
    assert clerk.get(reverse("households:list")).status_code == 200


def test_the_administrator_sees_accounts_and_lockouts(world, settings):
    settings.TWO_FACTOR_ENFORCED = True
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "clerk_a", "password": "wrong-guess"})
    admin = world.users["administrator"]
    User.objects.filter(pk=world.users["town_agri_officer"].pk).update(is_active=False)
    client = Client()
    client.force_login(admin)
    # The administrator needs two factors: enrolled here as the setup page would.
    device = TOTPDevice.objects.create(user=admin, name="手机验证器", confirmed=True)
    client.post(reverse("two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"})
    home = client.get(reverse("home")).content.decode()
    desk = home.split('id="journal-desk"')[1].split("</section>")[0]
    assert "登录锁定中的账号" in desk
    assert '<strong class="todo-count">1</strong>' in desk
    page = client.get(reverse("audit:users")).content.decode()
    lockouts = page.split('id="lockouts"')[1].split("</section>")[0]
    assert "clerk_a" in lockouts
    assert "10.9.9.9" in lockouts
    table = page.split('id="users-table"')[1]
    assert "已停用" in table
    assert "须启用，未启用" in table  # the bureau reviewers have no device yet
    client.force_login(world.users["town_clerk"])
    assert client.get(reverse("audit:users")).status_code == 403
