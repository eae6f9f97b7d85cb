"""A search of one or two characters matches names and household numbers from their start (a surname, a
two-character name), which the trigram indexes serve; three or more match anywhere (issue 12 goal 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..factories import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client, world):
    client.force_login(world.users["town_clerk"])
    return client


def test_one_or_two_characters_match_from_the_start(clerk, world):
    HouseholdFactory(village=world.village_a1, household_number="420281104201-0801")
    MemberFactory(household=HouseholdFactory(village=world.village_a1), name="曹明")
    MemberFactory(household=HouseholdFactory(village=world.village_a1), name="王曹明")
    page = clerk.get(reverse("households:list"), {"q": "曹"}).content.decode()
    assert "曹明" in page
    assert "王曹明" not in page
    assert "一两个字按姓名或户编号的开头查找" in page
    page = clerk.get(reverse("households:list"), {"q": "曹明"}).content.decode()
    assert "共 1 户" in page
    assert "王曹明" not in page
    page = clerk.get(reverse("households:list"), {"q": "王曹明"}).content.decode()
    assert "王曹明" in page
    assert "一两个字" not in page
    page = clerk.get(reverse("households:list"), {"q": "曹明"[-1] + "x"}).content.decode()
    assert "共 0 户" in page


def test_three_characters_still_match_anywhere(clerk, world):
    MemberFactory(household=HouseholdFactory(village=world.village_a1), name="欧阳曹明")
    page = clerk.get(reverse("households:list"), {"q": "阳曹明"}).content.decode()
    assert "欧阳曹明" in page
    assert "共 1 户" in page
