"""Screens of risk elimination (风险消除): the town's candidates and collective review, the review's page
(filing; the 农业农村局's acknowledgement or return) and its print."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    can_acknowledge_risk,
    can_decide_risk,
    risk_read_towns,
)
from accounts.actors import signed_in
from accounts.models import OrgUnit
from daye_relief.forms import run_service
from daye_relief.pdf import render_pdf

from ..forms.risk import ReturnForm, RiskReviewForm
from ..glossary import RiskDecisionKind, RiskReviewStatus
from ..models import RiskReview
from ..selectors import risk as risk_selectors
from ..services.risk import (
    DecisionInput,
    risk_review_acknowledge,
    risk_review_file,
    risk_review_record,
    risk_review_return,
)
from ..workflow import RISK_REVIEW
from .visits import paged


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
    page, query = paged(request, standings)
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
                acting_user=signed_in(request),
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
    page, query = paged(request, risk_selectors.review_list(user=request.user, status=status))
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
    user = signed_in(request)
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
