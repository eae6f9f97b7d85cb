"""Reads of social forces in the user's scope (accounts.access), and the figure the dashboards count."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.access import household_read_filter, social_resource_read_filter
from households.glossary import AssistanceKind
from households.models import AssistanceRecord, Household

from .glossary import MatchStatus, NeedStatus
from .models import HouseholdNeed, NeedMatch, SocialResource


def resource_list(*, user: Any, need_kind: str = "", active_only: bool = False) -> QuerySet[SocialResource]:
    """The projects and volunteers this user may see (a town: those serving it), with their towns and
    the count of help given; a fixed number of queries."""
    qs = (
        SocialResource.objects.filter(
            pk__in=SocialResource.objects.filter(social_resource_read_filter(user)).values("pk")
        )
        .prefetch_related("towns")
        .annotate(helped=Count("matches", filter=Q(matches__status=MatchStatus.HELPED)))
    )
    if need_kind:
        qs = qs.filter(need_kind=need_kind)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("-active", "need_kind", "name")


def need_list(*, user: Any, status: str = "", kind: str = "") -> QuerySet[HouseholdNeed]:
    qs = HouseholdNeed.objects.filter(household_read_filter(user, prefix="household__")).select_related(
        "household__village__parent", "member"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-recorded_on", "-pk")


def need_detail(*, user: Any, pk: int) -> HouseholdNeed | None:
    return (
        need_list(user=user)
        .prefetch_related(
            Prefetch(
                "matches", queryset=NeedMatch.objects.select_related("resource", "help_record", "matched_by")
            )
        )
        .filter(pk=pk)
        .first()
    )


def match_candidates(*, need: HouseholdNeed) -> QuerySet[SocialResource]:
    """Active projects and volunteers of the need's kind serving the household's town, not yet matched."""
    return (
        SocialResource.objects.filter(
            active=True, need_kind=need.kind, towns=need.household.village.parent_id
        )
        .exclude(matches__need=need, matches__status__in=[MatchStatus.PROPOSED, MatchStatus.HELPED])
        .distinct()
        .order_by("name")
    )


def household_needs(*, household: Household) -> list[HouseholdNeed]:
    return list(
        HouseholdNeed.objects.filter(household=household)
        .select_related("member")
        .prefetch_related(
            Prefetch("matches", queryset=NeedMatch.objects.select_related("resource", "help_record"))
        )
    )


def open_needs(user: Any) -> QuerySet[HouseholdNeed]:
    """Needs still waiting for a project or volunteer, in the user's scope (a count for the desks)."""
    return need_list(user=user, status=NeedStatus.OPEN)


def social_help_given(user: Any, start: date, end: date) -> QuerySet[AssistanceRecord]:
    """The help given by social forces between `start` and `end` (both included), in the user's scope: the
    assistance records of kind 社会力量帮扶. The dashboards count them (`.count()`, households with
    `.values("household").distinct().count()`, the money with `Sum("amount")`)."""
    return AssistanceRecord.objects.filter(
        household_read_filter(user, prefix="household__"),
        kind=AssistanceKind.SOCIAL_HELP,
        received_on__gte=start,
        received_on__lte=end,
    )
