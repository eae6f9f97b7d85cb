"""The platform around the pages: caching of personal answers, the API docs, password change, the schema."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_personal_pages_and_api_answers_are_not_stored(client, world):
    client.force_login(world.users["town_clerk"])
    assert no_store(client.get(reverse("households:detail", args=[world.household_a1.pk])))
    assert no_store(client.get(reverse("home")))
    assert no_store(client.get("/api/v1/households/"))


def test_api_answers_are_not_stored_even_for_anonymous_callers(client):
    assert no_store(client.get("/api/v1/households/"))  # 403
    assert no_store(client.get("/api/v1/workdays/add/", {"start": "2025-09-28", "days": 5}))


def test_public_pages_may_be_cached(client, world):
    response = client.get(reverse("publicity:public_index"))
    assert response.status_code == 200
    assert not no_store(response)


def test_api_docs_serve_swagger_ui_from_the_app(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_schema_documents_the_error_answers(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    errors = schema["components"]["schemas"]["Error"]
    assert set(errors["required"]) == {"code", "message", "field", "errors"}
    member_post = schema["paths"]["/api/v1/members/"]["post"]["responses"]
    bad = member_post["400"]["content"]["application/json"]["schema"]["oneOf"]
    assert {"$ref": "#/components/schemas/Error"} in bad
    assert member_post["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Detail"
    }
    detail = schema["paths"]["/api/v1/households/{id}/"]["get"]["responses"]
    assert set(detail) >= {"200", "403", "404"}
    # the public self-check needs no login: no 403 there
    assert "403" not in schema["paths"]["/api/v1/eligibility/evaluate/"]["post"]["responses"]


def test_a_user_changes_their_password(client, world):
    client.force_login(world.users["town_clerk"])
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}">修改密码</a>' in home
    form = client.get(reverse("password_change")).content.decode()
    assert "<h1>修改密码</h1>" in form
    assert "旧密码" in form
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "Daye-relief-2026", "new_password2": "Daye-relief-2026"},
    ).content.decode()
    assert "你的旧密码不正确" in wrong or "您的旧密码不正确" in wrong
    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "这个密码太常见了" in weak
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Daye-relief-2026", "new_password2": "Daye-relief-2026"},
        follow=True,
    )
    assert "<h1>密码已修改</h1>" in done.content.decode()
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "clerk_a", "password": "Daye-relief-2026"})
    assert "_auth_user_id" in client.session


# Point 18: DEBUG off, Chinese error pages, static files and a favicon served by the app ---------------


def test_unknown_address_gets_the_chinese_404_page(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in page
    assert "没有找到您要的页面，或您无权查看。" in page
    assert "Resolver404" not in page
    assert "Not Found" not in page


def test_404_shows_a_reason_written_in_chinese_and_hides_djangos_english_one(client, world):
    client.force_login(world.users["village_staff"])
    out_of_scope = client.get(reverse("households:detail", args=[world.household_b1.pk])).content.decode()
    assert "没有找到该家庭，或您无权查看。" in out_of_scope
    member = world.household_a1.members.get()
    response = client.get(reverse("households:member_edit", args=[world.household_a1.pk, member.pk + 999]))
    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()
    assert "没有找到您要的页面，或您无权查看。" in response.content.decode()


def test_403_page_is_chinese(client, world):
    client.force_login(world.users["department_user"])
    response = client.get(reverse("households:list"))
    assert response.status_code == 403
    assert "<h1>无权访问</h1>" in response.content.decode()
    assert "您的角色不能查看家庭档案。" in response.content.decode()


def test_expired_form_gets_a_chinese_page(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["town_clerk"])
    response = strict.post(reverse("households:create"), {"address": "x"})
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in response.content.decode()


@pytest.mark.urls("tests.accounts.boom_urls")
def test_server_error_gets_the_chinese_500_page(world):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>系统出错了</h1>" in page
    assert "boom" not in page
    assert "Traceback" not in page


def test_bad_request_gets_the_chinese_400_page(client):
    response = client.get("/", HTTP_HOST="not a host")
    assert response.status_code == 400
    assert "<h1>请求有误</h1>" in response.content.decode()


def test_pages_link_a_favicon_and_favicon_ico_leads_to_it(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert (response.status_code, response.url) == (301, "/static/favicon.svg")


def test_collected_static_files_are_served_by_the_app(tmp_path, settings):
    from django.core.management import call_command
    from django.test import RequestFactory
    from whitenoise.middleware import WhiteNoiseMiddleware

    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    app = WhiteNoiseMiddleware(lambda request: None)
    for name in ("favicon.svg", "css/app.css", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"):
        response = app(RequestFactory().get(f"/static/{name}"))
        assert response is not None, name
        assert response.status_code == 200, name


def _debug_of_dev_settings(extra_env):
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "daye_relief.settings.dev", **extra_env}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    )
    return result.stdout.strip()


def test_development_settings_show_debug_pages_only_when_asked_for():
    assert _debug_of_dev_settings({}) == "False"
    assert _debug_of_dev_settings({"DEBUG": "1"}) == "True"


def test_make_run_collects_static_files():
    import subprocess

    from django.conf import settings as django_settings

    plan = subprocess.run(
        ["/usr/bin/make", "-n", "run"],
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    ).stdout
    assert "manage.py collectstatic --noinput" in plan
    assert plan.index("collectstatic") < plan.index("runserver")
