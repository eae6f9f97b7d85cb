"""The demo holds one online application in 还地桥镇's inbox (issue 20): `make run` shows the clerk's side."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from demo.seed import seed_demo
from online.models import OnlineApplication

pytestmark = pytest.mark.django_db


def test_the_demo_clerk_finds_an_online_application_with_its_photo_and_hint() -> None:
    cache.clear()
    seed_demo()
    seed_demo()  # twice: still one
    online = OnlineApplication.objects.get()
    assert online.village.name == "西畈村"
    assert online.documents.get().thumbnail
    assert online.hint["categories"]
    client = Client()
    client.force_login(User.objects.get(username="clerk_hdq"))
    page = client.get(reverse("applications:workbench")).content.decode()
    assert "待受理的线上申请（1）" in page
    detail = client.get(reverse("online:detail", args=[online.pk])).content.decode()
    assert "石小军" in detail
    assert "登记为新家庭并受理" in detail
