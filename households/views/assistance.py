"""Special assistance screens (DESIGN §3.8): hand entry and temporary assistance on a household, its later
explanation, and the lists in the user's scope. Access is decided in accounts.access only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import (
    can_record_assistance,
    scope_of,
)
from accounts.actors import signed_in
from daye_relief.forms import run_service

from ..forms.assistance import (
    AssistanceCorrectionForm,
    AssistanceRecordForm,
    AssistanceSearchForm,
    ExplanationForm,
    TemporaryAssistanceForm,
    TemporaryCorrectionForm,
)
from ..glossary import AssistanceKind, AssistanceSource
from ..models import AssistanceRecord, Household
from ..selectors import assistance as assistance_selectors
from ..selectors.households import household_get
from ..services import assistance


def _household_for_assistance(request: HttpRequest, pk: int) -> Household:
    household = household_get(user=request.user, pk=pk)
    if not can_record_assistance(request.user, household):
        raise PermissionDenied("救助记录由家庭所在镇的社会事务办或农办登记。")
    return household


def _back(household: Household) -> HttpResponse:
    return redirect(f"{reverse('households:detail', args=[household.pk])}#assistance")


@login_required
def assistance_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_for_assistance(request, pk)
    form = AssistanceRecordForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = run_service(
            request,
            lambda: assistance.assistance_record_create(
                household=household,
                member=data["member"],
                kind=data["kind"],
                received_on=data["received_on"],
                amount=data["amount"],
                note=data["note"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if record is not None:
            messages.success(request, f"已登记{record.member.name}的{record.get_kind_display()}。")
            return _back(household)
    return render(
        request,
        "households/record_form.html",
        {"form": form, "household": household, "title": "登记救助帮扶记录"},
    )


@login_required
def temporary_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_for_assistance(request, pk)
    form = TemporaryAssistanceForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = run_service(
            request,
            lambda: assistance.temporary_assistance_grant(
                household=household,
                member=data["member"],
                received_on=data["received_on"],
                amount=data["amount"],
                reason=data["reason"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if record is not None:
            messages.success(request, f"已登记临时救助 {record.amount:.2f} 元，请在事后补充情况说明。")
            return _back(household)
    return render(
        request,
        "households/record_form.html",
        {"form": form, "household": household, "title": "登记临时救助（先行救助，事后补充说明）"},
    )


@login_required
def temporary_explain(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    household = _household_for_assistance(request, pk)
    record = (
        AssistanceRecord.objects.filter(pk=record_pk, household=household, kind="temporary")
        .select_related("member")
        .first()
    )
    if record is None:
        raise Http404("没有找到该临时救助记录。")
    form = ExplanationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: assistance.temporary_assistance_explain(
                record=record, explanation=form.cleaned_data["explanation"], acting_user=signed_in(request)
            ),
            form=form,
        )
        if done is not None:
            messages.success(request, "已补充情况说明。")
        if done is not None or not form.errors:  # done, or refused as a step already taken (a message)
            return _back(household)
    return render(
        request,
        "households/temporary_explain.html",
        {"form": form, "household": household, "record": record},
    )


@login_required
def assistance_correct(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    """Corrects a hand-entered record in place (the history keeps the earlier values and the reason)."""
    household = _household_for_assistance(request, pk)
    record = (
        AssistanceRecord.objects.filter(pk=record_pk, household=household).select_related("member").first()
    )
    if record is None:
        raise Http404("没有找到该救助记录。")
    if record.source != AssistanceSource.MANUAL:
        messages.error(request, f"来源为“{record.get_source_display()}”的记录不能更正，请联系数据来源部门。")
        return _back(household)
    temporary = record.kind == AssistanceKind.TEMPORARY
    form_class = TemporaryCorrectionForm if temporary else AssistanceCorrectionForm
    initial = {
        "member": record.member_id,
        "kind": record.kind,
        "received_on": record.received_on,
        "amount": record.amount,
        "note": record.note,
        "reason": record.reason,
    }
    form = form_class(
        request.POST or None, household=household, keep_member_id=record.member_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: assistance.assistance_record_correct(
                record=record,
                member=data["member"],
                received_on=data["received_on"],
                amount=data["amount"],
                kind=data.get("kind"),
                note=data.get("note"),
                reason=data.get("reason"),
                correction_reason=data["correction_reason"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if done is not None:
            corrected, changed = done
            messages.success(
                request,
                f"已更正{corrected.member.name}{corrected.received_on.isoformat()}的"
                f"{corrected.get_kind_display()}：{'、'.join(changed)}（原记录保留在修改历史中）。",
            )
            return _back(household)
    return render(
        request,
        "households/record_form.html",
        {
            "form": form,
            "household": household,
            "title": (
                f"更正救助记录：{record.member.name} {record.received_on.isoformat()} "
                f"{record.get_kind_display()}"
            ),
            "lead": "更正后原记录保留在家庭的修改历史中，并注明更正人和更正原因。",
        },
    )


@login_required
def assistance_list(request: HttpRequest) -> HttpResponse:
    """Every assistance record in the user's scope, filtered and paginated."""
    if not scope_of(request.user).reads_any_household:
        raise PermissionDenied("您的角色不能查看救助记录。")
    form = AssistanceSearchForm(request.GET or None)
    filters = assistance_selectors.AssistanceFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = assistance_selectors.AssistanceFilters(
            kind=data["kind"], source=data["source"], start=data["start"], end=data["end"]
        )
    page = Paginator(assistance_selectors.assistance_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "households/assistance_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def temporary_pending(request: HttpRequest) -> HttpResponse:
    """Temporary assistance still lacking its explanation, in the user's scope (the town's to-do list)."""
    if not scope_of(request.user).reads_any_household:
        raise PermissionDenied("您的角色不能查看救助记录。")
    page = Paginator(assistance_selectors.temporary_assistance_unexplained(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    for record in page:
        record.can_explain = can_record_assistance(request.user, record.household)  # type: ignore[attr-defined]
    return render(request, "households/temporary_pending.html", {"page": page})


@login_required
@require_POST
def assistance_delete(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    household = _household_for_assistance(request, pk)
    record = AssistanceRecord.objects.filter(pk=record_pk, household=household).first()
    if record is None:
        raise Http404("没有找到该救助记录。")
    removed = run_service(
        request, lambda: assistance.assistance_record_delete(record=record, acting_user=signed_in(request))
    )
    if removed is not None:
        messages.success(request, f"已删除{removed}记录（保留在修改历史中）。")
    return _back(household)
