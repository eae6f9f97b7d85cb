"""Reads of special assistance (DESIGN §3.8), always in the user's scope (accounts.access)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from accounts.access import household_read_filter

from ..glossary import AssistanceKind
from ..models import AssistanceRecord, Household, Member


@dataclass(frozen=True)
class AssistanceFilters:
    kind: str = ""
    source: str = ""
    start: date | None = None
    end: date | None = None
    town: int | None = None
    village: int | None = None


def assistance_list(*, user: Any, filters: AssistanceFilters | None = None) -> QuerySet[AssistanceRecord]:
    """The assistance records this user may read, newest first; a fixed number of queries per page."""
    filters = filters or AssistanceFilters()
    qs = AssistanceRecord.objects.filter(household_read_filter(user, prefix="household__")).select_related(
        "member", "household__village__parent"
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.start:
        qs = qs.filter(received_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(received_on__lte=filters.end)
    if filters.town:
        qs = qs.filter(household__village__parent_id=filters.town)
    if filters.village:
        qs = qs.filter(household__village_id=filters.village)
    return qs.order_by("-received_on", "-pk")


def temporary_assistance_unexplained(user: Any) -> QuerySet[AssistanceRecord]:
    """Temporary assistance (临时救助) still lacking its later explanation, in the user's scope, oldest
    first: the town's to-do list (and a count on the desks)."""
    return (
        AssistanceRecord.objects.filter(
            household_read_filter(user, prefix="household__"),
            kind=AssistanceKind.TEMPORARY,
            explained_on__isnull=True,
        )
        .select_related("member", "household__village__parent")
        .order_by("received_on", "pk")
    )


@dataclass(frozen=True)
class YearOfAssistance:
    year: int
    records: tuple[AssistanceRecord, ...]

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.records if r.amount is not None), Decimal(0))


@dataclass(frozen=True)
class MemberAssistance:
    member: Member
    years: tuple[YearOfAssistance, ...]  # newest year first

    @property
    def total(self) -> Decimal:
        return sum((y.total for y in self.years), Decimal(0))


def household_assistance(*, household: Household) -> list[MemberAssistance]:
    """Per member (active members first, then those who left and received something), everything received,
    grouped by calendar year, newest first. Two queries. The caller has checked the user may read the
    household."""
    members = list(household.members.order_by("-is_active", "pk"))
    by_member: dict[int, dict[int, list[AssistanceRecord]]] = defaultdict(lambda: defaultdict(list))
    for record in household.assistance_records.order_by("-received_on", "-pk"):
        by_member[record.member_id][record.received_on.year].append(record)
    result = []
    for member in members:
        years = by_member.get(member.pk, {})
        if not member.is_active and not years:
            continue
        result.append(
            MemberAssistance(
                member=member,
                years=tuple(
                    YearOfAssistance(year=year, records=tuple(years[year]))
                    for year in sorted(years, reverse=True)
                ),
            )
        )
    return result
