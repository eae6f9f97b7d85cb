import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "<h1>登录</h1>" in page
    assert "用户名" in page
    assert "密码" in page
    assert 'lang="zh-Hans"' in page


def test_login_and_home_show_the_role(client, world):
    response = client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "镇社会事务办 — 还地桥镇" in page
    assert "登记新家庭" in page


def test_wrong_password_says_so_in_chinese(client, world):
    page = client.post(reverse("login"), {"username": "clerk_a", "password": "wrong"}).content.decode()
    assert "用户名或密码不正确。" in page


def test_five_failures_lock_the_account_even_with_the_right_password(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "clerk_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_logout(client, world):
    client.force_login(world.users["town_clerk"])
    client.post(reverse("logout"))
    assert client.get(reverse("households:list")).status_code == 302


def _production_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "daye_relief.settings.production", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_real_secret():
    result = _production_check(
        {
            "ALLOWED_HOSTS": "relief.example",
            "DATABASE_URL": "sqlite:///x",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _production_check(
        {
            "SECRET_KEY": "k3v9-Qz7!pL2@xR8#mN4$wT6%yU1^bH5&cJ0*dF3(gS7)aE9_rZ2",
            "ALLOWED_HOSTS": "relief.example",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
