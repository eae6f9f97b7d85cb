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
