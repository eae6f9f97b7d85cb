"""Reads of household records, always through the user's scope (accounts.access)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import household_read_filter, villages_readable_filter
from accounts.models import OrgUnit

from .glossary import Category, Relation
from .idnumbers import normalize
from .models import Enrollment, ExternalSupporter, Household, Member


@dataclass(frozen=True)
class HouseholdFilters:
    q: str = ""
    town: int | None = None
    village: int | None = None
    category: str = ""


def enrolled_on(on: date) -> Q:
    """The one rule for an enrollment in force on a date: started on or before it, not yet ended."""
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def active_enrollments(on: date | None = None) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(enrolled_on(on or timezone.localdate()))


# Searches shorter than this match names and household numbers from their start, not anywhere in them.
SUBSTRING_SEARCH_MIN = 3


def household_list(*, user: Any, filters: HouseholdFilters) -> QuerySet[Household]:
    """The households this user may read, filtered; a fixed number of queries whatever the page size."""
    qs = (
        Household.objects.filter(household_read_filter(user), is_active=True)
        .select_related("village__parent")
        # A subquery, not a join: a search that also filters on members must not multiply the count, and
        # the list pages by household number without grouping every household first.
        .annotate(
            member_count=Coalesce(
                Subquery(
                    Member.objects.filter(household=OuterRef("pk"), is_active=True)
                    .order_by()
                    .values("household")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Member.objects.filter(is_active=True, relation=Relation.APPLICANT),
                to_attr="applicants",
            ),
            Prefetch(
                "enrollments",
                queryset=active_enrollments().select_related("member"),
                to_attr="current_enrollments",
            ),
        )
        .order_by("household_number")
    )
    q = filters.q.strip()
    if q:
        number = normalize(q)
        members = Member.objects.filter(is_active=True)
        if len(number) == 18:
            qs = qs.filter(pk__in=members.filter(id_number=number).values("household_id"))
        elif len(q) < SUBSTRING_SEARCH_MIN:
            # One or two characters (a surname, a two-character name): matched from the start, which the
            # trigram indexes serve (pg_trgm pads a word's start, so 'x%' has the trigram '  x'); a
            # substring that short has no trigram and would scan every member.
            qs = qs.filter(
                Q(pk__in=members.filter(name__istartswith=q).values("household_id"))
                | Q(household_number__istartswith=q)
            )
        else:
            qs = qs.filter(
                Q(pk__in=members.filter(name__icontains=q).values("household_id"))
                | Q(household_number__icontains=q)
            )
    if filters.town:
        qs = qs.filter(village__parent_id=filters.town)
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    if filters.category:
        qs = qs.filter(pk__in=active_enrollments().filter(category=filters.category).values("household_id"))
    return qs


def category_labels(enrollments: Iterable[Enrollment]) -> list[str]:
    """What a household is enrolled in, as people read it: the household's own categories, then each
    member-level category (特困, 单人户低保) with whom it belongs to — "低保边缘", "单人户低保：张三"."""
    order = {code: n for n, code in enumerate(Category.values)}
    household_level: set[str] = set()
    by_member: dict[str, list[str]] = {}
    for enrollment in enrollments:
        if enrollment.member_id is None:
            household_level.add(enrollment.category)
        else:
            names = by_member.setdefault(enrollment.category, [])
            if enrollment.member.name not in names:  # type: ignore[union-attr]
                names.append(enrollment.member.name)  # type: ignore[union-attr]
    labels = [Category(code).label for code in sorted(household_level, key=order.__getitem__)]
    labels += [
        f"{Category(code).label}：{'、'.join(names)}"
        for code, names in sorted(by_member.items(), key=lambda item: order[item[0]])
    ]
    return labels


def household_detail(*, user: Any, pk: int) -> Household | None:
    """One household with everything its page shows, or None when it is out of the user's scope."""
    return (
        Household.objects.filter(household_read_filter(user), pk=pk)
        .select_related("village__parent")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.filter(is_active=True).prefetch_related("incomes")),
            "assets",
            "rigid_expenses",
            Prefetch("external_supporters", queryset=ExternalSupporter.objects.select_related("supports")),
            Prefetch(
                "enrollments",
                queryset=active_enrollments().select_related("member"),
                to_attr="current_enrollments",
            ),
        )
        .first()
    )


def readable_villages(*, user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(villages_readable_filter(user)).select_related("parent").order_by("code")


def readable_towns(*, user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(pk__in=readable_villages(user=user).values("parent_id")).order_by("code")
