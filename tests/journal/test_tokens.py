"""Tokens (issue 21 point 5) and the journal of account changes (points 1 and 6): department and external
channel tokens are kept hashed, expire, can be revoked, and each use leaves one row with its dataset and
row count; a role change and a password change are journaled with who made them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.glossary import Role
from journal.codes import Action
from journal.models import Entry
from monitoring.models import ApiToken
from monitoring.services.tokens import api_token_create
from online.channels import channel_create
from online.models import ExternalChannel
from tests.monitoring.conftest import Pool, csv_bytes
from tests.online.pages import form_values

pytestmark = pytest.mark.django_db


def _import(key: str, pool: Pool):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    m = pool.member_a1
    content = csv_bytes(
        [{"id_number": m.id_number, "name": m.name, "paid_on": "2026-01-05", "amount": "500", "ratio": "50"}]
    )
    return client.post(
        "/api/v1/datasets/medical_assistance/imports/",
        {"file": SimpleUploadedFile("a.csv", content), "period": "2026-01"},
        format="multipart",
    )


def test_a_token_expires_a_year_on_and_each_use_leaves_one_row(pool: Pool) -> None:
    token, key = api_token_create(department=pool.departments["YBJ"], name="医保平台")
    assert token.expires_on == timezone.localdate() + timedelta(days=365)
    assert key not in token.digest
    issued = Entry.objects.get(action=Action.TOKEN_ISSUE)
    assert issued.object_id == f"department:{token.pk}"
    before = Entry.objects.count()
    assert _import(key, pool).status_code == 201
    rows = list(Entry.objects.order_by("id")[before:])
    assert [(r.action, r.object_id) for r in rows] == [(Action.TOKEN_USE, f"department:{token.pk}")]
    assert rows[0].detail == {"dataset": "medical_assistance", "rows": 1}
    assert rows[0].username == "市医保局（接口）"


def test_an_expired_or_revoked_token_answers_401(pool: Pool) -> None:
    token, key = api_token_create(department=pool.departments["YBJ"], name="医保平台")
    ApiToken.objects.filter(pk=token.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    expired = _import(key, pool)
    assert expired.status_code == 401
    assert "已过期" in expired.json()["detail"]
    ApiToken.objects.filter(pk=token.pk).update(expires_on=timezone.localdate(), revoked=True)
    assert _import(key, pool).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(revoked=False)
    assert _import(key, pool).status_code == 201  # its last day still counts

    channel, channel_key = channel_create(name="湖北省救助通")
    ExternalChannel.objects.filter(pk=channel.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    pushed = APIClient().post(
        "/api/v1/intake/applications/",
        {},
        format="json",
        HTTP_AUTHORIZATION=f"Channel {channel_key}",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert pushed.status_code == 401


def test_a_role_change_is_journaled_with_who_made_it(pool: Pool) -> None:
    world = pool.world
    admin = world.users["administrator"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    clerk = world.users["town_clerk"]
    client = Client()
    client.force_login(admin)
    url = f"/admin/accounts/user/{clerk.pk}/change/"
    page = client.get(url).content.decode()
    values = next(v for v in (form_values(page, i) for i in range(4)) if "username" in v)
    prefix = next(k for k in values if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    index = int(values[f"{prefix}-TOTAL_FORMS"])
    values.update(
        {
            f"{prefix}-TOTAL_FORMS": str(index + 1),
            f"{prefix}-{index}-role": Role.TASK_FORCE,
            f"{prefix}-{index}-org_unit": str(world.town_a.pk),
            f"{prefix}-{index}-user": str(clerk.pk),
        }
    )
    before = Entry.objects.count()
    response = client.post(url, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = [r for r in Entry.objects.order_by("id")[before:] if r.action == Action.ROLE_CHANGE]
    assert [(r.object_id, r.detail["change"], r.detail["role"]) for r in rows] == [
        (str(clerk.pk), "added", Role.TASK_FORCE)
    ]
    assert rows[0].username == admin.username


def test_a_password_change_is_journaled(pool: Pool) -> None:
    clerk = pool.world.users["town_clerk"]
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-only",
            "new_password1": "Xq7#long-Enough",
            "new_password2": "Xq7#long-Enough",
        },
    )
    assert response.status_code == 302
    row = Entry.objects.latest("id")
    assert row.action == Action.PASSWORD_CHANGE
    assert row.username == clerk.username
