"""The desk's screens: the home page (each role's to-do list), the list behind each count, and the
dashboard of the bureaus and the towns (DESIGN §3.10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.access import can_create_households, scope_of
from accounts.glossary import Role
from applications.glossary import Kind, Stage
from daye_relief.widgets import DateEntry
from households.glossary import Category
from households.selectors.households import readable_towns
from journal import selectors as journal_selectors

from . import lists, stats
from .audit_views import lockouts
from .todo import desk_for

LIST_PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """`/`: the user's work of the day, each count a link to its list; then the usual ways in."""
    scope = scope_of(request.user)
    return render(
        request,
        "desk/home.html",
        {
            "sections": desk_for(request.user, timezone.localdate()),
            "assignments": request.user.role_assignments.select_related("org_unit"),  # type: ignore[union-attr]
            "reads_households": scope.reads_any_household,
            "can_create": can_create_households(request.user),
            "dashboard": stats.may_read_stats(request.user),
            "journal": _journal_desk(request.user),
        },
    )


def _journal_desk(user: Any) -> dict[str, Any] | None:
    """The journal on the desk (DESIGN §3.13): a broken chain for the administrator, the count of unusual
    reading for the two bureaus; a town clerk's link to the journal of the town's households."""
    if not journal_selectors.may_read(user):
        return None
    city = journal_selectors.reads_city(user)
    unusual = None
    if scope_of(user).roles & {Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER, Role.ADMINISTRATOR}:
        unusual = journal_selectors.unusual(
            since=timezone.localdate() - timedelta(days=6), limit=settings.JOURNAL_HOUSEHOLDS_PER_DAY
        ).total
    admin = Role.ADMINISTRATOR in scope_of(user).roles
    breaks = list(journal_selectors.open_chain_breaks()[:3]) if admin else []
    locked = lockouts().count() if admin else None
    return {"breaks": breaks, "unusual": unusual if city else None, "lockouts": locked, "admin": admin}


@login_required
def todo_list(request: HttpRequest, key: str) -> HttpResponse:
    """The list behind a count: exactly the rows the count counted, paginated."""
    spec = lists.LISTS.get(key)
    if spec is None:
        raise Http404("没有这个清单。")
    if not lists.may_open(key, request.user):
        raise PermissionDenied("您的角色没有这个清单。")
    params = {k: str(v) for k, v in request.GET.items() if k != "page"}
    page = Paginator(lists.rows(key, request.user, timezone.localdate(), params), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode(params)
    return render(
        request,
        "desk/list.html",
        {
            "title": spec.label,
            "columns": spec.columns,
            "rows": [(spec.link(obj), spec.cells(obj)) for obj in page],
            "page": page,
            "query": query,
        },
    )


class DashboardFilter(forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=DateEntry())
    date_to = forms.DateField(label="截止日期", required=False, widget=DateEntry())
    town = forms.ChoiceField(label="镇", required=False)

    def __init__(self, *args: Any, towns: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", "全部"), *towns]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _period(form: DashboardFilter, today: date) -> Period:
    """The chosen period; by default the year to date."""
    data = form.cleaned_data if form.is_valid() else {}
    return Period(start=data.get("date_from") or date(today.year, 1, 1), end=data.get("date_to") or today)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not stats.may_read_stats(request.user):
        raise PermissionDenied("您的角色没有统计看板。")
    today = timezone.localdate()
    towns = [(str(t.pk), t.name) for t in readable_towns(user=request.user)]
    # The boxes show the period in use: the year to date unless the user chose other dates.
    data = request.GET.copy()
    for key, default in (("date_from", date(today.year, 1, 1)), ("date_to", today)):
        if not data.get(key):
            data[key] = default.isoformat()
    form = DashboardFilter(data, towns=towns)
    period = _period(form, today)
    town = form.cleaned_data.get("town") if form.is_valid() else None
    scope = stats.stats_scope(request.user, town)
    overview = stats.overview(scope, today)
    households = overview["households_by_category"]
    people = overview["people_by_category"]
    base = {"town": str(scope.town_id)} if scope.town_id else {}
    flow = {**base, "from": period.start.isoformat(), "to": period.end.isoformat()}

    def households_link(**extra: Any) -> str:
        params = {**base, **{k: v for k, v in extra.items() if v}}
        return f"{reverse('households:list')}?{urlencode(params)}"

    def list_link(key: str, **extra: Any) -> str:
        return f"{reverse('desk:list', args=[key])}?{urlencode({**extra})}"

    categories = [
        {
            "code": code,
            "label": Category(code).label,
            "households": households[code],
            "people": people[code],
            "url": households_link(category=code),
        }
        for code in Category.values
    ]
    by_kind = stats.cases_by_stage_and_kind(scope)
    stages = [
        {
            "code": code,
            "label": Stage(code).label,
            "count": overview["cases_by_stage"][code],
            "url": list_link("open_cases", **base, stage=code),
            "kinds": [
                (by_kind[code][kind], list_link("open_cases", **base, stage=code, kind=kind))
                for kind in Kind.values
            ],
        }
        for code in stats.OPEN_STAGE_CODES
    ]
    overlap = stats.overlap_matrix(households, overview["overlap"])
    warnings_type = stats.warnings_by_type(scope, period.start, period.end, today)
    warnings_unit = stats.warnings_by_assignee(scope, period.start, period.end, today)
    months, deliveries = stats.deliveries(scope, period.start, period.end)
    charts = {
        "categories": {
            "labels": [c["label"] for c in categories],
            "households": [c["households"] for c in categories],
            "people": [c["people"] for c in categories],
        },
        "overlap": {
            "labels": [row.label for row in overlap],
            "with": [row.with_monitoring for row in overlap],
            "without": [row.without_monitoring for row in overlap],
        },
        "stages": {
            "labels": [s["label"] for s in stages],
            "kinds": [
                {"name": Kind(kind).label, "data": [by_kind[code][kind] for code in stats.OPEN_STAGE_CODES]}
                for kind in Kind.values
            ],
        },
        "warnings": {
            "labels": [row.label for row in warnings_type],
            "on_time": [row.on_time for row in warnings_type],
            "late": [row.raised - row.on_time for row in warnings_type],
        },
        "deliveries": {
            "months": months,
            "series": [
                {"name": row.department.name, "data": [files for _, files, _, _ in row.by_month]}
                for row in deliveries
            ],
        },
    }
    return render(
        request,
        "desk/dashboard.html",
        {
            "form": form,
            "period": period,
            "today": today,
            # The chosen town, or the one town a town user reads.
            "scope_name": dict(towns).get(str(scope.town_id), "")
            if scope.town_id
            else (towns[0][1] if len(towns) == 1 and not scope_of(request.user).whole_city else ""),
            "whole_city": scope_of(request.user).whole_city and not scope.town_id,
            "categories": categories,
            "places": stats.by_place(scope, today),
            "category_codes": Category.values,
            "category_labels": [Category(c).label for c in Category.values],
            "overlap": overlap,
            "overlap_url": households_link(category="monitoring"),
            "stages": stages,
            "kind_labels": [Kind(kind).label for kind in Kind.values],
            "open_cases_url": list_link("open_cases", **base),
            "timeliness": stats.timeliness(scope, period.start, period.end),
            "notices": stats.notice_figures(scope, period.start, period.end),
            "warnings_type": [
                (row, list_link("stats_warnings", **flow, type=row.key)) for row in warnings_type
            ],
            "on_time_rule": stats.ON_TIME_RULE,
            "warnings_unit": [
                (row, list_link("stats_warnings", **flow, assignee=row.key)) for row in warnings_unit
            ],
            "warnings_url": list_link("stats_warnings", **flow),
            "assistance": [
                (row, list_link("stats_assistance", **flow, kind=row.code))
                for row in stats.assistance_by_kind(scope, period.start, period.end)
            ],
            "visits_overdue": [
                (village, n, list_link("stats_visits_overdue", **base, village=village.pk))
                for village, n in stats.visits_overdue_by_village(scope, today)
            ],
            "visits_overdue_url": list_link("stats_visits_overdue", **base),
            "months": months,
            "deliveries": deliveries,
            "charts": charts,
            "households_url": households_link(),
        },
    )
