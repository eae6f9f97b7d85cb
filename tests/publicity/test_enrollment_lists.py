"""The public long-term list shows what is active on the day (DESIGN §3.7): an ended enrollment leaves it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from households.names import mask_name
from households.services.enrollments import enrollment_end, enrollment_start
from publicity.selectors import long_term_list

pytestmark = pytest.mark.django_db
PAGE = "/public/villages/420281104201/"


def test_a_death_ends_the_tekun_enrollment_and_the_household_leaves_the_list_from_that_day(client, world):
    clerk = world.users["town_clerk"]
    household = world.household_a1
    elder = household.members.get()
    today = timezone.localdate()
    tekun = enrollment_start(
        household=household,
        category="tekun",
        member=elder,
        start=today - timedelta(days=90),
        monthly_amount=Decimal("780.00"),
        acting_user=clerk,
    )
    cache.clear()
    assert mask_name(elder.name) in client.get(PAGE).content.decode()  # the internet sees 柯*山

    enrollment_end(enrollment=tekun, on=today, reason="death", acting_user=clerk)
    cache.clear()

    listed = lambda day: [row.name for row in long_term_list(village=world.village_a1, on=day)]  # noqa: E731
    assert listed(today - timedelta(days=1)) == [mask_name(elder.name)]  # still listed up to the day before
    assert listed(today) == []
    assert listed(today + timedelta(days=1)) == []
    assert mask_name(elder.name) not in client.get(PAGE).content.decode()
