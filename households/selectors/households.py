"""Reads of household records, always through the user's scope (accounts.access)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.access import can_change_household, household_read_filter, scope_of, villages_readable_filter
from accounts.models import OrgUnit
from accounts.orgs import village_ids_of

from ..glossary import Category, Relation
from ..idnumbers import normalize
from ..models import Enrollment, ExternalSupporter, Household, Member, VillageCount


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


def _list_rows(qs: QuerySet[Household]) -> QuerySet[Household]:
    """What a row of the household list shows: village and town, member count, applicants, categories."""
    return (
        qs.select_related("village__parent")
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


def _rows_of(ids: list[int]) -> list[Household]:
    """The list's rows of these households (already chosen through the user's scope), in this order: read
    by primary key, without running the search again."""
    found = {household.pk: household for household in _list_rows(Household.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def household_list(*, user: Any, filters: HouseholdFilters) -> QuerySet[Household]:
    """The households this user may read, filtered; a fixed number of queries whatever the page size."""
    qs = _list_rows(Household.objects.filter(household_read_filter(user), is_active=True))
    q = filters.q.strip()
    if q:
        number = normalize(q)
        members = Member.objects.filter(is_active=True).order_by()
        if len(number) == 18:
            qs = qs.filter(pk__in=members.filter(id_number=number).values("household_id"))
        else:
            # One or two characters (a surname, a two-character name) are matched from the start, which
            # the indexes serve (pg_trgm pads a word's start, so 'x%' has the trigram '  x'); a substring
            # that short has no trigram and would scan every member. Three or more: anywhere in the name
            # or the household number.
            lookup = "istartswith" if len(q) < SUBSTRING_SEARCH_MIN else "icontains"
            # One set of household ids, the members' and the numbers' together: an OR of the two would
            # make the planner test every household of the scope against both (issue 12).
            matched = (
                members.filter(**{f"name__{lookup}": q})
                .values("household_id")
                .union(Household.objects.order_by().filter(**{f"household_number__{lookup}": q}).values("pk"))
            )
            qs = qs.filter(pk__in=matched)
    if filters.town:
        qs = qs.filter(village_id__in=sorted(village_ids_of([filters.town])))
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    if filters.category:
        qs = qs.filter(pk__in=active_enrollments().filter(category=filters.category).values("household_id"))
    return qs


HOUSEHOLD_PAGE = 25


def _listed_villages(*, user: Any, filters: HouseholdFilters) -> list[int] | None:
    """The villages a list without search or category covers, when it is a set of villages (a town's or a
    village's staff, or a town or village chosen in the form); None for the whole city or a search."""
    if filters.q.strip() or filters.category:
        return None
    scope = scope_of(user)
    villages: set[int] | None = None if scope.whole_city else set(scope.read_village_ids)
    if filters.town:
        town = set(village_ids_of([filters.town]))
        villages = town if villages is None else villages & town
    if filters.village:
        villages = {filters.village} if villages is None else villages & {filters.village}
    return None if villages is None else sorted(villages)


def _first_by_number(villages: list[int], count: int) -> list[int]:
    """The ids of the first `count` active households of these villages in household-number order: the
    first `count` of each village from its index (household_village_number), merged. A filter on the
    villages alone walks the city's numbers until it has found a page of the town's, all of them for the
    last town (issue 12)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.id FROM unnest(%s::bigint[]) AS v(id) CROSS JOIN LATERAL ("
            " SELECT id, household_number FROM households_household"
            " WHERE village_id = v.id AND is_active ORDER BY household_number LIMIT %s) AS h"
            " ORDER BY h.household_number LIMIT %s",
            [villages, count, count],
        )
        return [row[0] for row in cursor.fetchall()]


def household_page(*, user: Any, filters: HouseholdFilters, number: Any) -> Page[Household]:
    """One page of household_list. Without a search or a category the count is the sum of the villages'
    maintained counts (VillageCount), and a plain list of a set of villages takes its page's ids from each
    village's index first; a search or a category counts and pages in one statement (_counted_page). Same
    count, same rows, same order either way (tests/households/test_village_count.py)."""
    qs = household_list(user=user, filters=filters)
    paginator = Paginator(qs, HOUSEHOLD_PAGE)
    if connection.vendor != "postgresql":  # SQLite (`make run`): no count table, the plain query
        return paginator.get_page(number)
    if filters.q.strip() or filters.category:
        return _counted_page(qs, paginator, number)
    villages = _listed_villages(user=user, filters=filters)  # None: the whole city
    counts = (
        VillageCount.objects.all()
        if villages is None
        else VillageCount.objects.filter(village_id__in=villages)
    )
    paginator.count = counts.aggregate(n=Sum("households"))["n"] or 0
    page = paginator.get_page(number)  # the page number, checked against the count
    if villages is None:
        return page
    bottom = (page.number - 1) * HOUSEHOLD_PAGE
    page.object_list = _rows_of(
        _first_by_number(villages, bottom + HOUSEHOLD_PAGE)[bottom:] if villages else []
    )
    return page


def _counted_page(qs: QuerySet[Household], paginator: Paginator[Household], number: Any) -> Page[Household]:
    """A search's page: its ids and the total in one statement (a window count over the matches, which the
    database finds once instead of once for the COUNT and again for the page), then those rows."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1  # as Paginator.get_page: not a number, the first page
    slim = qs.select_related(None).prefetch_related(None).annotate(total=Window(Count("pk")))

    def ids_and_total(number: int) -> list[tuple[int, int]]:
        return list(slim.values_list("pk", "total")[(number - 1) * HOUSEHOLD_PAGE : number * HOUSEHOLD_PAGE])

    rows = ids_and_total(wanted) if wanted >= 1 else []
    if not rows and wanted != 1:  # below 1 or past the end: the last page, as Paginator.get_page answers
        total = next(iter(slim.values_list("total", flat=True)[:1]), 0)
        wanted = max(1, -(-total // HOUSEHOLD_PAGE))
        rows = ids_and_total(wanted)
    paginator.count = rows[0][1] if rows else 0
    page = paginator.page(wanted)
    page.object_list = _rows_of([pk for pk, _total in rows])
    return page


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


HOUSEHOLD_NOT_FOUND = "没有找到该家庭，或您无权查看。"


def household_get(*, user: Any, pk: Any, for_write: bool = False, active_only: bool = False) -> Household:
    """The household this user may read (with its village and town), for every page that works on one.

    A household that does not exist and one out of the user's scope answer the same 404, so that a page
    never tells one town where another town's family lives. `for_write` also asks that the user may
    change it (403 otherwise: the household is theirs to read, so saying so tells nothing);
    `active_only` leaves out households that were closed."""
    qs = Household.objects.filter(household_read_filter(user), pk=pk)
    if active_only:
        qs = qs.filter(is_active=True)
    household = qs.select_related("village__parent").first()
    if household is None:
        raise Http404(HOUSEHOLD_NOT_FOUND)
    if for_write and not can_change_household(user, household):
        raise PermissionDenied("您只能查看该家庭，不能修改。")
    return household


def household_readable(*, user: Any, pk: Any) -> bool:
    """Whether this user may open the household's page (a link to it is shown only then)."""
    return Household.objects.filter(household_read_filter(user), pk=pk).exists()


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
    """The towns of the readable villages. Their ids are read first (one small query): as a subquery, a
    misjudged count of villages made the planner pair every unit with every village (issue 12)."""
    towns = (
        OrgUnit.objects.filter(villages_readable_filter(user)).order_by().values_list("parent_id", flat=True)
    )
    return OrgUnit.objects.filter(pk__in=set(towns)).order_by("code")
