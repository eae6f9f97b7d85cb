"""The demo shows every category and the monitoring journeys a newcomer must see in `make run` (issue
17.5): a 刚性支出困难 family enrolled in each pilot town, a gradual exit in progress, and a household that
is a risk-elimination candidate — all made through the services, so the rules decide them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db.models import Count
from django.test import Client

from accounts.models import User
from demo.seed import seed_demo
from households.models import Enrollment, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    cache.clear()
    seed_demo()


def _page(username: str, url: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_rigid_expense_family_is_enrolled_in_each_pilot_town(demo: None) -> None:
    rigid = Enrollment.objects.filter(category="rigid_expense", end_date__isnull=True).select_related(
        "household__village__parent"
    )
    towns = {enrollment.household.village.parent.name for enrollment in rigid}
    assert towns == {"还地桥镇", "保安镇"}
    household = next(e.household for e in rigid if e.household.village.parent.name == "还地桥镇")
    page = _page("clerk_hdq", f"/households/{household.pk}/")
    assert "刚性支出困难" in page
    assert '医疗救助比例：<strong class="ratio">' in page  # the ill spouse, an illness-impoverished patient


def test_no_demo_household_has_two_members_of_one_name(demo: None) -> None:
    """Issue 23.2: the demo's applicant and spouse were both 李冬梅."""
    alike = Member.objects.values("household_id", "name").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(alike) == []
    assert Member.objects.count() > 400


def test_a_gradual_exit_is_in_progress(demo: None) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    exiting = Enrollment.objects.filter(
        category="dibao", end_date__isnull=True, gradual_exit_until__gt=today
    ).select_related("household")
    assert len(exiting) == 1
    enrollment = exiting[0]
    case = enrollment.household.applications.get(kind="adjustment")
    assert case.stage == "filed"
    assert case.gradual_exit_granted
    assert set(case.filings.values_list("status", flat=True)) == {"acknowledged"}
    page = _page("clerk_hdq", f"/households/{enrollment.household.pk}/")
    assert f"渐退期至 {enrollment.gradual_exit_until:%Y-%m-%d}" in page
    assert "取消低保的，给予渐退期" in _page("clerk_hdq", f"/cases/{case.pk}/")


def test_a_monitoring_household_is_a_risk_elimination_candidate(demo: None) -> None:
    from django.utils import timezone

    from monitoring.selectors.risk import standings

    candidates = [s for s in standings(town_ids=None, on=timezone.localdate()) if s.basis]
    assert [c.basis for c in candidates] == ["income"]
    household = candidates[0].household
    assert household.village.parent.name == "还地桥镇"
    page = _page("clerk_hdq", "/monitoring/risk/")
    assert household.household_number in page
    # The other town's clerk does not see it.
    assert household.household_number not in _page("clerk_ba", "/monitoring/risk/")
