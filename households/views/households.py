"""Household screens for town and village staff. Access is decided in accounts.access only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import (
    can_change_household,
    can_create_households,
    scope_of,
    sees_full_id_numbers,
    villages_writable_filter,
)
from accounts.actors import signed_in
from accounts.models import OrgUnit
from daye_relief.forms import run_service
from journal import services as journal
from journal.codes import Action, ObjectKind

from ..forms.households import (
    AssetForm,
    ExternalSupporterForm,
    HouseholdChildForm,
    HouseholdForm,
    HouseholdSearchForm,
    IncomeForm,
    MemberForm,
    RigidExpenseForm,
)
from ..glossary import Category
from ..idnumbers import is_valid
from ..models import Asset, ExternalSupporter, Household, Income, Member, RigidExpense
from ..panels import household_panels
from ..selectors import history
from ..selectors import households as selectors
from ..selectors.enrollments import household_enrollments
from ..services import households as services


def _readable_household(request: HttpRequest, pk: int) -> Household:
    return selectors.household_get(user=request.user, pk=pk)


def _writable_household(request: HttpRequest, pk: int) -> Household:
    return selectors.household_get(user=request.user, pk=pk, for_write=True)


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).reads_any_household:
        raise PermissionDenied("您的角色不能查看家庭档案。")
    form = HouseholdSearchForm(
        request.GET or None,
        towns=selectors.readable_towns(user=request.user),
        villages=selectors.readable_villages(user=request.user),
        categories=Category.choices,
    )
    filters = selectors.HouseholdFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.HouseholdFilters(
            q=data["q"],
            town=data["town"].pk if data["town"] else None,
            village=data["village"].pk if data["village"] else None,
            category=data["category"],
        )
    page = selectors.household_page(user=request.user, filters=filters, number=request.GET.get("page"))
    _journal_search(request, filters, page.paginator.count)  # a list shows families too, filtered or not
    for household in page:
        household.category_labels = selectors.category_labels(household.current_enrollments)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "households/household_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": can_create_households(request.user),
            "full_ids": sees_full_id_numbers(request.user),
            "prefix_search": 0 < len(filters.q.strip()) < selectors.SUBSTRING_SEARCH_MIN,
        },
    )


def _journal_search(request: HttpRequest, filters: selectors.HouseholdFilters, rows: int) -> None:
    """A search leaves its filters and row count in the journal; the text searched for never in clear (an
    ID number as its keyed hash, a name or a household number only as what kind of text it was)."""
    q = filters.q.strip()
    kind = "id_number" if is_valid(q) else "number" if q[:1].isdigit() else "name" if q else ""
    journal.note(
        request,
        Action.SEARCH,
        object_kind=ObjectKind.LIST,
        object_id="households",
        id_number=q if kind == "id_number" else "",
        detail={
            "filters": {
                k: v
                for k, v in {
                    "q_kind": kind,
                    "town": filters.town,
                    "village": filters.village,
                    "category": filters.category,
                }.items()
                if v
            },
            "rows": rows,
        },
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_detail(user=request.user, pk=pk)
    if household is None:
        raise Http404("没有找到该家庭，或您无权查看。")
    members = list(household.members.all())
    full_ids = sees_full_id_numbers(request.user)
    journal.note(
        request,
        Action.VIEW_HOUSEHOLD,
        object_kind=ObjectKind.HOUSEHOLD,
        object_id=household.pk,
        household_id=household.pk,
        town_id=household.village.parent_id,
        detail={"full_ids": full_ids, "members": len(members)},
    )
    panels = household_panels(request, household)
    # A member change of an enrolled family is an adjustment case: its link is offered to whom the cases
    # panel offers 办理动态调整 (the town's clerk, no case running), not to every role that edits members.
    can_adjust = any(p.key == "cases" and p.context.get("can_adjust") for p in panels)
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": members,
            "incomes": [income for member in members for income in member.incomes.all()],
            "can_change": can_change_household(request.user, household),
            "full_ids": full_ids,
            "category_labels": selectors.category_labels(household.current_enrollments),  # type: ignore[attr-defined]
            "enrollments": household_enrollments(household=household),
            "panels": panels,
            "can_adjust": can_adjust,
        },
    )


@login_required
def household_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what, field by field, in the household and every record of it; in the user's scope."""
    household = _readable_household(request, pk)
    entries = history.household_history(household=household, full_ids=sees_full_id_numbers(request.user))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "households/household_history.html", {"household": household, "page": page})


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    if not can_create_households(request.user):
        raise PermissionDenied("只有镇社会事务办和村(居)委会可以登记家庭。")
    villages = OrgUnit.objects.filter(villages_writable_filter(request.user)).select_related("parent")
    form = HouseholdForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        household = run_service(
            request,
            lambda: services.household_create(
                **{k: form.cleaned_data[k] for k in ("village", "hukou_type", "address", "phone", "note")}
            ),
            form=form,
        )
        if household is not None:
            messages.success(request, f"已登记家庭 {household.household_number}，请继续添加家庭成员。")
            return redirect("households:member_create", pk=household.pk)
    return render(request, "households/household_form.html", {"form": form, "title": "登记新家庭"})


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    villages = OrgUnit.objects.filter(villages_writable_filter(request.user)).select_related("parent")
    form = HouseholdForm(request.POST or None, instance=household, villages=villages)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request, lambda: services.household_update(household=household, data=form.cleaned_data), form=form
        )
        if saved is not None:
            messages.success(request, "家庭信息已保存。")
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "household": household, "title": f"修改家庭 {household.household_number}"},
    )


@login_required
def member_edit(request: HttpRequest, pk: int, member_pk: int | None = None) -> HttpResponse:
    household = _writable_household(request, pk)
    member = None
    if member_pk is not None:
        member = get_object_or_404(Member, pk=member_pk, household=household, is_active=True)
    form = MemberForm(request.POST or None, instance=member, full_ids=sees_full_id_numbers(request.user))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = run_service(
            request,
            lambda: (
                services.member_create(household=household, data=data, acting_user=signed_in(request))
                if member is None
                else services.member_update(member=member, data=data, acting_user=signed_in(request))
            ),
            form=form,
        )
        if saved is not None:
            messages.success(request, f"已保存家庭成员 {saved.name}。")
            if "add_another" in request.POST:
                return redirect("households:member_create", pk=household.pk)
            return redirect("households:detail", pk=household.pk)
    if member is not None and request.method == "GET" and sees_full_id_numbers(request.user):
        journal.note(  # the form shows the member's full ID number
            request,
            Action.VIEW_MEMBER_FULL_ID,
            object_kind=ObjectKind.MEMBER,
            object_id=member.pk,
            household_id=household.pk,
            town_id=household.village.parent_id,
            id_number=member.id_number,
        )
    title = f"修改家庭成员 {member.name}" if member else "添加家庭成员"
    return render(
        request,
        "households/member_form.html",
        {"form": form, "household": household, "member": member, "title": title},
    )


@dataclass(frozen=True)
class RecordKind:
    model: type[models.Model]
    form: type[HouseholdChildForm]
    label: str
    via_member: bool = False


RECORD_KINDS: dict[str, RecordKind] = {
    "income": RecordKind(Income, IncomeForm, "收入", via_member=True),
    "asset": RecordKind(Asset, AssetForm, "财产"),
    "expense": RecordKind(RigidExpense, RigidExpenseForm, "刚性支出"),
    "supporter": RecordKind(ExternalSupporter, ExternalSupporterForm, "家庭外法定义务人"),
}


def _record(kind: RecordKind, household: Household, record_pk: int) -> Any:
    lookup = {"member__household": household} if kind.via_member else {"household": household}
    return get_object_or_404(kind.model, pk=record_pk, **lookup)


@login_required
def record_edit(request: HttpRequest, pk: int, kind: str, record_pk: int | None = None) -> HttpResponse:
    if kind not in RECORD_KINDS:
        raise Http404("没有这类记录。")
    spec = RECORD_KINDS[kind]
    household = _writable_household(request, pk)
    instance = _record(spec, household, record_pk) if record_pk is not None else None
    form = spec.form(request.POST or None, instance=instance, household=household)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        saved = run_service(
            request, lambda: services.household_record_save(household=household, record=record), form=form
        )
        if saved is not None:
            messages.success(request, f"已保存{spec.label}。")
            return redirect("households:detail", pk=household.pk)
    verb = "修改" if instance else "添加"
    return render(
        request,
        "households/record_form.html",
        {"form": form, "household": household, "title": f"{verb}{spec.label}"},
    )


@login_required
@require_POST
def record_delete(request: HttpRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    if kind not in RECORD_KINDS:
        raise Http404("没有这类记录。")
    spec = RECORD_KINDS[kind]
    household = _writable_household(request, pk)
    record = _record(spec, household, record_pk)
    if run_service(request, lambda: services.household_record_delete(household=household, record=record)):
        messages.success(request, f"已删除一条{spec.label}记录（保留在修改历史中）。")
    return redirect("households:detail", pk=household.pk)
