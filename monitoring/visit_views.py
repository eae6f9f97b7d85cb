"""Screens of visits (巡访) and risk elimination (风险消除): the phone form to record a visit, a visit's page,
the list of due and overdue visits per village with the weekly summary, the town's candidates and
collective review, the review's page (filing; the 农业农村局's acknowledgement or return) and its print."""

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
    can_acknowledge_risk,
    can_decide_risk,
    can_open_adjustment_from_visit,
    can_record_visit,
    household_read_filter,
    risk_read_towns,
    scope_of,
    villages_readable_filter,
)
from accounts.models import OrgUnit
from applications.models import Application
from daye_relief.forms import run_service
from daye_relief.pdf import render_pdf
from eligibility.errors import ParametersMissing
from households.models import Household

from . import risk as risk_selectors
from . import visits as visit_selectors
from .forms import ReturnForm, RiskReviewForm, VisitForm
from .glossary import RiskDecisionKind, RiskReviewStatus
from .models import RiskReview
from .services.risk import (
    DecisionInput,
    risk_review_acknowledge,
    risk_review_file,
    risk_review_record,
    risk_review_return,
)
from .services.visits import visit_open_adjustment, visit_record, week_of
from .workflow import RISK_REVIEW

PAGE_SIZE = 30


def _page(request: HttpRequest, items: Any) -> tuple[Any, str]:
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


# Visits -------------------------------------------------------------------------------------------


def _household(request: HttpRequest, pk: int) -> Household:
    household = (
        Household.objects.filter(household_read_filter(request.user), pk=pk)
        .select_related("village__parent")
        .first()
    )
    if household is None:
        raise Http404("没有找到该家庭，或您无权查看。")
    return household


@login_required
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
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
                acting_user=request.user,
            ),
            form=form,
        )
        if visit is not None:
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
        {"household": household, "form": form, "members": members},
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
    case = run_service(request, lambda: visit_open_adjustment(visit_id=visit.pk, acting_user=request.user))
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
    page, query = _page(request, rows)
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


# Risk elimination -----------------------------------------------------------------------------------


def _risk_towns(request: HttpRequest) -> list[OrgUnit]:
    towns = risk_read_towns(request.user)
    if towns is not None and not towns:
        raise PermissionDenied("您的角色没有风险消除。")
    qs = OrgUnit.objects.filter(kind="town").order_by("code")
    return list(qs if towns is None else qs.filter(pk__in=towns))


def _chosen_town(request: HttpRequest, towns: list[OrgUnit]) -> OrgUnit:
    wanted = request.GET.get("town") or request.POST.get("town") or ""
    for town in towns:
        if str(town.pk) == wanted:
            return town
    if not towns:
        raise Http404("没有可查看的镇。")
    return towns[0]


@login_required
def risk_candidates(request: HttpRequest) -> HttpResponse:
    """The town's monitoring households: candidates first, then the others with why they are not."""
    towns = _risk_towns(request)
    town = _chosen_town(request, towns)
    today = timezone.localdate()
    standings = risk_selectors.standings(town_ids=frozenset({town.pk}), on=today)
    standings.sort(key=lambda s: (s.basis is None,))
    page, query = _page(request, standings)
    return render(
        request,
        "monitoring/risk_candidates.html",
        {
            "towns": towns,
            "town": town,
            "page": page,
            "query": query,
            "candidates": sum(1 for s in standings if s.basis),
            "count": len(standings),
            "today": today,
            "can_decide": can_decide_risk(request.user, town.pk),
        },
    )


@login_required
def risk_review_new(request: HttpRequest) -> HttpResponse:
    towns = _risk_towns(request)
    town = _chosen_town(request, towns)
    if not can_decide_risk(request.user, town.pk):
        raise PermissionDenied("只有本镇工作专班或镇农办可以录入风险消除研判。")
    today = timezone.localdate()
    candidates = risk_selectors.risk_candidates(town_ids=frozenset({town.pk}), on=today)
    form = RiskReviewForm(request.POST or None, initial={"held_on": today})
    rows: list[dict[str, Any]] = [
        {
            "standing": c,
            "decision": request.POST.get(f"decision_{c.household.pk}", ""),
            "reason": request.POST.get(f"reason_{c.household.pk}", ""),
        }
        for c in candidates
    ]
    if request.method == "POST" and form.is_valid():
        decisions = [
            DecisionInput(
                household_id=row["standing"].household.pk, decision=row["decision"], reason=row["reason"]
            )
            for row in rows
            if row["decision"] in RiskDecisionKind.values
        ]
        review = run_service(
            request,
            lambda: risk_review_record(
                town=town,
                held_on=form.cleaned_data["held_on"],
                participants=form.cleaned_data["participants"],
                note=form.cleaned_data["note"],
                decisions=decisions,
                acting_user=request.user,
            ),
            form=form,
        )
        if review is not None:
            messages.success(request, "已保存集体研判结论，请报市农业农村局备案。")
            return redirect("monitoring:risk_review", pk=review.pk)
    return render(
        request,
        "monitoring/risk_review_form.html",
        {"town": town, "form": form, "rows": rows, "choices": RiskDecisionKind.choices},
        status=400 if form.is_bound else 200,
    )


@login_required
def risk_reviews(request: HttpRequest) -> HttpResponse:
    _risk_towns(request)
    default = RiskReviewStatus.FILED if can_acknowledge_risk(request.user) else ""
    status = request.GET.get("status", default)
    if status not in ("", *RiskReviewStatus.values):
        status = ""
    page, query = _page(request, risk_selectors.review_list(user=request.user, status=status))
    return render(
        request,
        "monitoring/risk_reviews.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": [("", "全部"), *RiskReviewStatus.choices],
        },
    )


def _review(request: HttpRequest, pk: int) -> RiskReview:
    _risk_towns(request)
    review = risk_selectors.review_detail(user=request.user, pk=pk)
    if review is None:
        raise Http404("没有找到该研判，或您无权查看。")
    return review


@login_required
def risk_review(request: HttpRequest, pk: int, return_form: ReturnForm | None = None) -> HttpResponse:
    review = _review(request, pk)
    decider = can_decide_risk(request.user, review.town_id)
    bureau = can_acknowledge_risk(request.user)
    return render(
        request,
        "monitoring/risk_review.html",
        {
            "review": review,
            "decisions": list(review.decisions.all()),
            "can_file": decider and RISK_REVIEW.allows("file", review.status),
            "can_acknowledge": bureau and RISK_REVIEW.allows("acknowledge", review.status),
            "return_form": return_form or ReturnForm(),
        },
        status=400 if return_form is not None else 200,
    )


@login_required
@require_POST
def risk_review_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    review = _review(request, pk)
    user = request.user
    if action == "file":
        if not can_decide_risk(user, review.town_id):
            raise PermissionDenied("只有本镇工作专班或镇农办可以报备。")
        if run_service(request, lambda: risk_review_file(review_id=review.pk, acting_user=user)):
            messages.success(request, "已报市农业农村局备案。")
    elif action == "acknowledge":
        if not can_acknowledge_risk(user):
            raise PermissionDenied("只有市农业农村局可以确认风险消除。")
        if run_service(request, lambda: risk_review_acknowledge(review_id=review.pk, acting_user=user)):
            messages.success(request, "已确认风险消除，相关家庭的防返贫监测已结束。")
    elif action == "return":
        if not can_acknowledge_risk(user):
            raise PermissionDenied("只有市农业农村局可以退回。")
        form = ReturnForm(request.POST)
        if not form.is_valid():
            return risk_review(request, pk, return_form=form)
        if (
            run_service(
                request,
                lambda: risk_review_return(
                    review_id=review.pk, note=form.cleaned_data["note"], acting_user=user
                ),
                form=form,
            )
            is None
        ):
            return risk_review(request, pk, return_form=form)
        messages.success(request, "已退回镇补正。")
    else:
        raise Http404
    return redirect("monitoring:risk_review", pk=review.pk)


@login_required
def risk_review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    pdf = render_pdf(
        "monitoring/print/risk_review.html",
        {
            "review": review,
            "decisions": list(review.decisions.all()),
            "case_number": f"FXXC-{review.town.code}-{review.pk:05d}",
            "print_date": timezone.localdate(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="risk-review-{review.pk}.pdf"'
    return response
