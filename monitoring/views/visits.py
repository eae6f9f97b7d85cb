"""Screens of visits (巡访): the phone form to record a visit, a visit's page, and the list of due and
overdue visits per village with the weekly summary."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    application_read_filter,
    can_open_adjustment_from_visit,
    can_record_visit,
    scope_of,
    villages_readable_filter,
)
from accounts.actors import signed_in
from accounts.models import OrgUnit
from applications.models import Application
from daye_relief.forms import run_service
from eligibility.errors import ParametersMissing
from households.selectors.households import household_get

from ..forms.visits import VisitForm
from ..page_panels import VISIT_FORM_PANELS, VISIT_PANELS
from ..selectors import visits as visit_selectors
from ..services.visits import visit_open_adjustment, visit_record, week_of

PAGE_SIZE = 30


def paged(request: HttpRequest, items: Any) -> tuple[Any, str]:
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


@login_required
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    if not can_record_visit(request.user, household):
        raise PermissionDenied("您不能为该家庭录入巡访记录。")
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = run_service(
            request,
            lambda: visit_record(
                household=household,
                visited_on=data["visited_on"],
                method=data["method"],
                visitors=data["visitors"],
                items=form.items(),
                note=data["note"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if visit is not None:
            VISIT_FORM_PANELS.take(request, visit)
            if visit.concerns:
                messages.warning(
                    request, f"已保存巡访记录。{'、'.join(visit.concerns)}无保障，已向镇里发出巡访预警。"
                )
            else:
                messages.success(request, "已保存巡访记录，六项均有保障。")
            return redirect("monitoring:visit_detail", pk=visit.pk)
    members = list(household.members.filter(is_active=True).only("name", "relation"))
    return render(
        request,
        "monitoring/visit_form.html",
        {
            "household": household,
            "form": form,
            "members": members,
            "panels": VISIT_FORM_PANELS.render(request, household),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_selectors.visit_detail(user=request.user, pk=pk)
    if visit is None:
        raise Http404("没有找到该巡访记录，或您无权查看。")
    case = (
        Application.objects.filter(application_read_filter(request.user))
        .filter(household=visit.household, source=f"visit:{visit.pk}")
        .first()
    )
    return render(
        request,
        "monitoring/visit_detail.html",
        {
            "visit": visit,
            "warning": visit.warnings.first(),
            "case": case,
            "can_record": can_record_visit(request.user, visit.household),
            "panels": VISIT_PANELS.render(request, visit),
            "can_adjust": bool(visit.concerns)
            and case is None
            and can_open_adjustment_from_visit(request.user, visit.household),
        },
    )


@login_required
@require_POST
def visit_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_selectors.visit_detail(user=request.user, pk=pk)
    if visit is None:
        raise Http404("没有找到该巡访记录，或您无权查看。")
    if not can_open_adjustment_from_visit(request.user, visit.household):
        raise PermissionDenied("只有家庭所在镇的社会事务办可以发起动态调整。")
    case = run_service(
        request, lambda: visit_open_adjustment(visit_id=visit.pk, acting_user=signed_in(request))
    )
    if case is None:
        return redirect("monitoring:visit_detail", pk=visit.pk)
    messages.success(request, f"已发起动态调整案件 {case.case_number}。")
    return redirect("applications:detail", pk=case.pk)


def _may_see_visits(request: HttpRequest) -> bool:
    return scope_of(request.user).reads_any_household


def _visit_rows(request: HttpRequest) -> dict[str, Any]:
    """The due and overdue visits in scope with the page's filters (village, status), for the page and
    its export."""
    if not _may_see_visits(request):
        raise PermissionDenied("您的角色没有巡访。")
    today = timezone.localdate()
    villages = list(
        OrgUnit.objects.filter(villages_readable_filter(request.user))
        .select_related("parent")
        .order_by("code")
    )
    village_id = None
    if request.GET.get("village", "").isdigit() and any(
        v.pk == int(request.GET["village"]) for v in villages
    ):
        village_id = int(request.GET["village"])
    status = request.GET.get("status", "all")
    statuses = {
        "overdue": (visit_selectors.OVERDUE,),
        "due": (visit_selectors.DUE,),
    }.get(status, (visit_selectors.OVERDUE, visit_selectors.DUE))
    try:
        rows = visit_selectors.visit_schedules(request.user, today, village_id=village_id, statuses=statuses)
    except ParametersMissing as missing:
        messages.error(request, missing.message)
        rows = []
    return {"today": today, "villages": villages, "village_id": village_id, "status": status, "rows": rows}


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    """Due and overdue visits in scope, per village (village staff theirs, a town its villages)."""
    found = _visit_rows(request)
    rows, today = found["rows"], found["today"]
    page, query = paged(request, rows)
    return render(
        request,
        "monitoring/visit_list.html",
        {
            **found,
            "page": page,
            "query": query,
            "count": len(rows),
            "overdue": sum(1 for r in rows if r.status == visit_selectors.OVERDUE),
            "summaries": visit_selectors.overdue_visit_summaries(request.user, week_of(today)),
            "week": week_of(today),
        },
    )


@login_required
def visit_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The same list, with the same filters, as a spreadsheet (no ID numbers or phones: none are listed)."""
    from openpyxl import Workbook

    found = _visit_rows(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("应巡访家庭")
    sheet.append(["镇", "村(居)", "户编号", "巡访周期（月）", "上次巡访", "纳入日期", "应巡访日期", "状态"])
    for row in found["rows"]:
        sheet.append(
            [
                row.village.parent.name if row.village.parent else "",
                row.village.name,
                row.household.household_number,
                row.months,
                row.last_visit,
                row.enrolled_since,
                row.next_due,
                row.status_label,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="visits-{found["today"].isoformat()}.xlsx"'
    return response
