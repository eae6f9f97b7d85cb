"""The monitoring pool: one selector for matching, dashboards and lists."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from applications.glossary import Stage
from applications.models import Application
from households.models import Enrollment, Household, Member
from households.selectors.households import enrolled_on

from ..parsing import months_before


def pool_filter(on: date) -> Q:
    """A filter on Household for the monitoring pool on a date (DESIGN §3.6): an enrollment in force (a
    gradual exit included), an application rejected in the 12 months before, or an enrollment that ended
    less than 24 months before.

    Each part is an EXISTS on the household's own rows, not `pk IN (subquery)`: PostgreSQL cannot turn
    three INs joined by OR into joins, and once the enrollments in force outgrow its hash memory (some
    hundred thousand) it re-read all of them for every household, which at the city's size never ended.
    An EXISTS is one index probe a household."""
    household = OuterRef("pk")
    active = Enrollment.objects.filter(enrolled_on(on), household_id=household)
    rejected = Application.objects.filter(
        household_id=household, stage=Stage.REJECTED, decided_on__gt=months_before(on, 12), decided_on__lte=on
    )
    ended = Enrollment.objects.filter(
        household_id=household, end_date__gt=months_before(on, 24), end_date__lte=on
    )
    return Q(Exists(active)) | Q(Exists(rejected)) | Q(Exists(ended))


def pool_households(*, on: date) -> QuerySet[Household]:
    return Household.objects.filter(pool_filter(on))


def pool_members(*, on: date) -> QuerySet[Member]:
    """The active members of pool households: the only people shared rows are matched to."""
    return Member.objects.filter(is_active=True, household__in=pool_households(on=on).values("pk"))
