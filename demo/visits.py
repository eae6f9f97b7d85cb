"""Demo visits (巡访): recorded through the real service by each town's clerk, dated back from today, so
that the visit list shows households overdue, due and visited, and each town has a visit_concern warning.
A second run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.glossary import Role
from accounts.models import User
from households.models import Enrollment, Household
from monitoring.glossary import VISIT_ITEMS
from monitoring.models import Visit
from monitoring.services.visits import visit_record


def seed_visits() -> int:
    if Visit.objects.exists():
        return 0
    today = timezone.localdate()
    clerks = {
        assignment.org_unit_id: assignment.user
        for user in User.objects.filter(role_assignments__role=Role.TOWN_CLERK).distinct()
        for assignment in user.role_assignments.filter(role=Role.TOWN_CLERK)
    }
    households = (
        Household.objects.filter(
            pk__in=Enrollment.objects.filter(end_date__isnull=True).values("household_id")
        )
        .select_related("village__parent")
        .order_by("household_number")
    )
    concern_towns: set[int | None] = set()
    recorded = 0
    for index, household in enumerate(households):
        town_id = household.village.parent_id
        clerk = clerks.get(town_id) if town_id is not None else None
        if clerk is None or index % 3 == 0:  # a third never visited: most of them overdue
            continue
        days_ago = 20 if index % 3 == 1 else 100
        items = {key: ("secure", "") for key, _ in VISIT_ITEMS}
        if town_id not in concern_towns:
            items["housing"] = ("not_secure", "房屋屋顶漏雨，需维修")
            concern_towns.add(town_id)
        visit_record(
            household=household,
            visited_on=today - timedelta(days=days_ago),
            method="home" if index % 2 else "phone",
            visitors=f"{clerk}、村委会委员",
            items=items,
            acting_user=clerk,
            today=today,
        )
        recorded += 1
    return recorded
