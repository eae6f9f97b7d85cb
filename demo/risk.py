"""A demo risk-elimination candidate (风险消除, DESIGN §3.7), made through the real paths: in 还地桥镇, a
monitoring household whose applicant found steady work; the town's half-yearly checks seven months apart
and this month both find per-capita income above the monitoring standard, and a visit two weeks ago found
all six items secure. The candidate rule (monitoring.risk) then lists it on the town's page. Only when no
household is a candidate yet, so a second run adds nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import OrgUnit, User
from eligibility.services import assessment_record
from households.models import Enrollment, Household
from monitoring.glossary import VISIT_ITEMS, WarningStatus
from monitoring.parsing import months_before
from monitoring.selectors.risk import standings
from monitoring.services.visits import visit_record

from .adjustments import wages_enter

TOWN = "420281104"  # 还地桥镇
CLERK = "clerk_hdq"
WAGES = Decimal(60000)  # a year's wages of steady work: well above the monitoring standard per head


def _monitoring_only(today: date) -> list[Household]:
    """Households of the town monitored (household level) and in no other category, with no case and no
    warning that is not closed, in a stable order."""
    active = Enrollment.objects.filter(end_date__isnull=True)
    return list(
        Household.objects.filter(
            pk__in=active.filter(category="monitoring", member__isnull=True).values("household_id"),
            village__parent__code=TOWN,
            applications__isnull=True,
        )
        .exclude(pk__in=active.exclude(category="monitoring").values("household_id"))
        .exclude(warnings__status__in=[s for s in WarningStatus.values if s != WarningStatus.CLOSED])
        .distinct()
        .order_by("household_number")[:5]
    )


def seed_risk_candidate() -> Household | None:
    today = timezone.localdate()
    town_ids = frozenset(OrgUnit.objects.filter(code=TOWN).values_list("pk", flat=True))
    if any(s.basis for s in standings(town_ids=town_ids, on=today)):
        return None
    clerk = User.objects.filter(username=CLERK).first()
    households = _monitoring_only(today)
    if clerk is None or not households:
        return None
    household = households[0]
    applicant = household.members.get(relation="applicant", is_active=True)
    wages_enter(household, applicant, str(WAGES), "在县城建材厂稳定就业", clerk)
    for as_of in (months_before(today, 7), today - timedelta(days=10)):
        assessment_record(household=household, as_of=as_of, acting_user=clerk, purpose="check")
    visit_record(
        household=household,
        visited_on=today - timedelta(days=14),
        method="home",
        visitors=f"{clerk}、村委会委员",
        items={key: ("secure", "") for key, _ in VISIT_ITEMS},
        note="务工收入稳定，家庭生活有保障。",
        acting_user=clerk,
        today=today,
    )
    return household
