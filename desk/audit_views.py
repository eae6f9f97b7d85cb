"""/audit/: reading the access journal (DESIGN §3.13) — the administrator and the two bureaus for the city,
a town's clerk for the town's households — with its XLSX export (itself journaled), the report of unusual
reading, and "who looked at this family" on the household page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.access import scope_of
from accounts.glossary import Role
from accounts.models import OrgUnit, RoleAssignment, User
from households.idnumbers import InvalidIdNumber, parse
from households.models import Household
from journal import selectors, services
from journal.codes import Action, ObjectKind
from journal.models import Entry

from .exports import ListExport, write_xlsx

PAGE = 50
EXPORT_LIMIT = 50_000
DATE = forms.DateInput(attrs={"type": "date"})


class JournalFilterForm(forms.Form):
    person = forms.CharField(label="用户名", required=False, max_length=150)
    household = forms.CharField(label="户编号", required=False, max_length=32)
    id_number = forms.CharField(
        label="成员身份证号码",
        required=False,
        max_length=18,
        help_text="按号码的摘要查询，系统不保存所查号码",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    action = forms.ChoiceField(label="操作", required=False, choices=[("", "全部"), *Action.choices])
    since = forms.DateField(label="起始日期", required=False, widget=DATE)
    until = forms.DateField(label="截止日期", required=False, widget=DATE)

    def clean_id_number(self) -> str:
        raw = self.cleaned_data["id_number"].strip()
        if not raw:
            return ""
        try:
            return parse(raw).number
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None


def _filters(request: HttpRequest, form: JournalFilterForm) -> selectors.JournalFilters | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    household_id = None
    if data["household"]:
        found = Household.objects.filter(household_number=data["household"].strip()).values_list(
            "pk", flat=True
        )
        household_id = next(iter(found), -1)  # an unknown number finds nothing, like any other filter
    return selectors.JournalFilters(
        person=data["person"].strip(),
        household_id=household_id,
        id_number=data["id_number"],
        action=data["action"],
        since=data["since"],
        until=data["until"],
    )


def _require(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise PermissionDenied("只有系统管理员、市民政局、市农业农村局和镇社会事务办可以查看访问留痕。")


def _labels(rows: list[Entry]) -> list[dict[str, Any]]:
    """Each row as the page shows it: the household's number and the org units' names, in two queries."""
    households = dict(
        Household.objects.filter(pk__in={r.household_id for r in rows if r.household_id}).values_list(
            "pk", "household_number"
        )
    )
    unit_ids = {int(u) for r in rows for u in r.org_units.split(",") if u}
    units = dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    return [
        {
            "entry": r,
            "household": households.get(r.household_id or 0, ""),
            "units": "、".join(units.get(int(u), "") for u in r.org_units.split(",") if u),
            "detail": selectors.detail_text(r.detail),
        }
        for r in rows
    ]


@login_required
def journal_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = JournalFilterForm(request.GET or None)
    filters = _filters(request, form) if request.GET else selectors.JournalFilters()
    rows = selectors.entries(user=request.user, filters=filters) if filters else Entry.objects.none()
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    if filters and (filters.id_number or filters.person or filters.household_id):
        services.note(request, Action.SEARCH, object_kind=ObjectKind.LIST, object_id="journal",
                      detail={"filters": filters.as_detail()})  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/journal.html",
        {
            "form": form,
            "page": page,
            "rows": _labels(list(page)),
            "query": query.urlencode(),
            "city": selectors.reads_city(request.user),
            "breaks": list(selectors.open_chain_breaks()[:5]) if selectors.reads_city(request.user) else [],
        },
    )


JOURNAL_EXPORT = ListExport(
    key="journal",
    title="访问留痕",
    columns=(
        "时间",
        "用户",
        "角色",
        "所在机构",
        "客户端地址",
        "操作",
        "对象类型",
        "对象编号",
        "户编号",
        "详情",
    ),
    allowed=selectors.may_read,
    queryset=lambda user, params: [],  # written here, from the page's own filters
    row=lambda obj, viewer: [],
)


@login_required
def journal_export(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = JournalFilterForm(request.GET or None)
    filters = _filters(request, form) if request.GET else selectors.JournalFilters()
    if filters is None:
        raise PermissionDenied("查询条件有误，请返回修改。")
    rows = list(selectors.entries(user=request.user, filters=filters)[:EXPORT_LIMIT])
    shown = _labels(rows)
    body = write_xlsx(
        JOURNAL_EXPORT,
        (
            [
                timezone.localtime(item["entry"].at).strftime("%Y-%m-%d %H:%M:%S"),
                item["entry"].username,
                item["entry"].roles,
                item["units"],
                item["entry"].client,
                item["entry"].get_action_display(),
                item["entry"].get_object_kind_display(),
                item["entry"].object_id,
                item["household"],
                item["detail"],
            ]
            for item in shown
        ),
    )
    services.note(
        request,
        Action.EXPORT_LIST,
        object_kind=ObjectKind.EXPORT,
        object_id="journal",
        detail={"export": "journal", "rows": len(rows), "filters": filters.as_detail(), "full_ids": False},
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="journal.xlsx"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def unusual(request: HttpRequest) -> HttpResponse:
    if not selectors.reads_city(request.user):
        raise PermissionDenied("只有系统管理员和两局可以查看异常访问报告。")
    days = 7
    report = selectors.unusual(
        since=timezone.localdate() - timedelta(days=days - 1), limit=settings.JOURNAL_HOUSEHOLDS_PER_DAY
    )
    return render(
        request,
        "desk/journal_unusual.html",
        {"report": report, "days": days, "limit": settings.JOURNAL_HOUSEHOLDS_PER_DAY},
    )


def household_panel(request: HttpRequest, household: Any) -> dict[str, Any] | None:
    """ "谁查看过这户" on the household page, for the roles that read the journal of this household."""
    user = request.user
    town_id = household.village.parent_id
    if not (selectors.reads_city(user) or town_id in selectors.readable_towns(user)):
        return None
    return {"rows": _labels(selectors.household_readers(household_id=household.pk)), "household": household}


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """The administrator's view of the accounts (DESIGN §3.13): roles, last sign-in, two-factor, password
    age, disabled; and the sign-in lockouts in force (by username and client address)."""
    if Role.ADMINISTRATOR not in scope_of(request.user).roles:
        raise PermissionDenied("只有系统管理员可以查看账号情况。")
    accounts = list(
        User.objects.order_by("username").prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("org_unit"))
        )
    )
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    now = timezone.now()
    rows = [
        {
            "user": account,
            "roles": [f"{a.get_role_display()}（{a.org_unit.name}）" for a in account.role_assignments.all()],
            "two_factor": account.pk in with_device,
            "two_factor_required": twofactor.required(account),
            "password_days": (now - (account.password_changed_at or account.date_joined)).days,
        }
        for account in accounts
    ]
    return render(
        request,
        "desk/users.html",
        {
            "rows": rows,
            "max_age": settings.PASSWORD_MAX_AGE_DAYS,
            "lockouts": list(lockouts()),
        },
    )


def lockouts() -> Any:
    """The sign-in lockouts in force: a username from one client address, after enough failures."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
