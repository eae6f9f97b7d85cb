"""The demo shows three adjustment cases made through the real services: a death decided, filed and
acknowledged by the bureaus, a birth under investigation and an income rise from work with a gradual exit;
a second seeding adds nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from applications.models import AdjustmentMemberChange, Application
from demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_filed_death_and_a_running_birth() -> None:
    cache.clear()
    seed_demo()
    adjustments = Application.objects.filter(kind="adjustment")
    changes = {c.kind: c for c in AdjustmentMemberChange.objects.select_related("application", "member")}
    assert set(changes) == {"death", "birth"}
    death, birth = changes["death"].application, changes["birth"].application
    assert death.stage == "filed"
    assert death.filings.exists()
    assert set(death.filings.values_list("status", flat=True)) == {"acknowledged"}
    assert not changes["death"].member.is_active
    assert birth.stage == "investigating"
    assert changes["birth"].member.is_active
    client = Client()
    client.force_login(User.objects.get(username="clerk_hdq"))
    page = client.get(f"/cases/{death.pk}/").content.decode()
    assert "动态调整：家庭成员变化" in page
    assert f"{changes['death'].member.name}（" in page
    assert "死亡医学证明 No.HB2026-0451" in page
    assert "调整结果（自" in page
    born = client.get(f"/cases/{birth.pk}/").content.decode()
    assert "出生医学证明 No.Q420281-7731" in born
    seed_demo()
    assert Application.objects.filter(kind="adjustment").count() == adjustments.count() == 3
