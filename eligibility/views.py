"""Pages: the policy parameters (civil-affairs reviewer), bulk re-evaluation and its proposals (the
bureaus), and the public self-check (自助测算, anyone)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    can_decide_reevaluation,
    can_edit_parameters,
    can_run_reevaluation,
    can_view_parameters,
    can_view_reevaluations,
)
from accounts.actors import signed_in
from daye_relief.forms import run_service
from households.codes import BUREAUS

from . import runs, services
from .engine import CATEGORY_LABELS
from .forms import (
    ParameterForm,
    ReevaluationForm,
    SelfCheckHouseholdForm,
    SelfCheckMemberFormSet,
)
from .models import PolicyParameter, ReevaluationProposal, ReevaluationRun
from .parameters import PARAMETER_DEFAULTS
from .selectors import CITY_REGION, ParameterTable
from .self_check import SelfCheck
from .throttling import self_check_allowed


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    _require(can_view_parameters(request.user), "您的角色不能查看政策参数。")
    today = timezone.localdate()
    all_rows = list(PolicyParameter.objects.order_by("code", "region_code", "-valid_from"))
    rows: dict[str, list[PolicyParameter]] = defaultdict(list)
    for row in all_rows:
        rows[row.code].append(row)
    table = ParameterTable(all_rows)  # the engine's own rule picks the city's row in force today
    groups = [
        {
            "default": default,
            "rows": rows[default.code],
            "current": table.row_in_force(default.code, CITY_REGION, today),
        }
        for default in PARAMETER_DEFAULTS
    ]
    return render(
        request,
        "eligibility/parameter_list.html",
        {"groups": groups, "can_edit": can_edit_parameters(request.user), "today": today},
    )


@login_required
def parameter_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(can_edit_parameters(request.user), "只有市民政局可以修改政策参数。")
    instance = get_object_or_404(PolicyParameter, pk=pk) if pk else None
    initial = {"code": request.GET.get("code", ""), "region_code": CITY_REGION} if instance is None else {}
    form = ParameterForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = run_service(
            request,
            lambda: services.parameter_save(
                instance=instance,
                close_previous=data["close_previous"],
                **{
                    k: data[k]
                    for k in (
                        "code",
                        "region_code",
                        "valid_from",
                        "valid_to",
                        "value",
                        "source",
                        "placeholder",
                    )
                },
            ),
            form=form,
        )
        if row is not None:
            messages.success(
                request,
                f"已保存：{row.get_code_display()} {row.display_value}（{row.valid_from} 起）。"
                "如需了解哪些家庭的类别会因此变化，请发起批量重新测算。",
            )
            return redirect("eligibility:parameters")
    title = "修改参数记录" if instance else "新增参数记录"
    return render(
        request,
        "eligibility/parameter_form.html",
        {
            "form": form,
            "title": title,
            "instance": instance,
            "history": instance.history.select_related("history_user").order_by("-history_date")
            if instance
            else [],
        },
    )


@login_required
def reevaluation_list(request: HttpRequest) -> HttpResponse:
    _require(can_view_reevaluations(request.user), "只有市民政局和市农业农村局可以查看批量测算。")
    form = ReevaluationForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST":
        _require(can_run_reevaluation(request.user), "只有市民政局可以发起批量重新测算。")
        if form.is_valid():
            run = runs.reevaluation_start(
                as_of=form.cleaned_data["as_of"],
                reason=form.cleaned_data["reason"],
                acting_user=signed_in(request),
            )
            messages.success(request, "已发起批量重新测算，完成后可在下方查看结果。")
            return redirect("eligibility:reevaluation", pk=run.pk)
    return render(
        request,
        "eligibility/reevaluation_list.html",
        {
            "form": form,
            "runs": ReevaluationRun.objects.select_related("created_by")[:30],
            "can_run": can_run_reevaluation(request.user),
        },
    )


def _labels(codes: list[str]) -> list[str]:
    return [CATEGORY_LABELS.get(code, code) for code in codes]


def _own_bureaus(user: Any) -> list[str]:
    return [code for code, _ in BUREAUS if can_decide_reevaluation(user, code)]


@login_required
def reevaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_view_reevaluations(request.user), "只有市民政局和市农业农村局可以查看批量测算。")
    run = get_object_or_404(ReevaluationRun, pk=pk)
    own = _own_bureaus(request.user)
    # Each reviewer starts on the proposals their bureau decides; the other bureau's are readable.
    bureau = request.GET.get("bureau") or (own[0] if own else "all")
    proposals = run.proposals.select_related("household__village__parent", "decided_by").order_by(
        "household__household_number", "bureau"
    )
    if bureau in dict(BUREAUS):
        proposals = proposals.filter(bureau=bureau)
    decision = request.GET.get("decision", "open")
    if decision in ReevaluationProposal.Decision.values:
        proposals = proposals.filter(decision=decision)
    page = Paginator(proposals, 50).get_page(request.GET.get("page"))
    for proposal in page:
        proposal.current_labels = _labels(proposal.current_categories)  # type: ignore[attr-defined]
        proposal.proposed_labels = _labels(proposal.proposed_categories)  # type: ignore[attr-defined]
        proposal.can_decide = proposal.bureau in own  # type: ignore[attr-defined]
    return render(
        request,
        "eligibility/reevaluation_detail.html",
        {
            "run": run,
            "page": page,
            "decision": decision,
            "decisions": ReevaluationProposal.Decision.choices,
            "bureau": bureau,
            "bureaus": BUREAUS,
            "can_restart": run.can_restart and can_run_reevaluation(request.user),
            "chunks_done": run.chunks.filter(done=True).count(),
        },
    )


@login_required
@require_POST
def reevaluation_restart(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_run_reevaluation(request.user), "只有市民政局可以重新启动批量测算。")
    run = get_object_or_404(ReevaluationRun, pk=pk)
    if run_service(request, lambda: runs.reevaluation_restart(run=run, acting_user=signed_in(request))):
        messages.success(request, "已重新启动，将从中断处继续测算。")
    return redirect("eligibility:reevaluation", pk=run.pk)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(ReevaluationProposal, pk=pk)
    _require(
        can_decide_reevaluation(request.user, proposal.bureau),
        f"该提示由{proposal.get_bureau_display()}审核。",
    )
    run_service(
        request,
        lambda: services.proposal_decide(
            proposal=proposal, accept=request.POST.get("accept") == "1", acting_user=signed_in(request)
        ),
    )
    url = reverse("eligibility:reevaluation", args=[proposal.run_id])
    return redirect(f"{url}?bureau={proposal.bureau}")


def _self_check_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "eligibility/self_check_limited.html", status=429)


def self_check(request: HttpRequest) -> HttpResponse:
    """自助测算: anyone may try; nothing is stored; POSTs count against the one self-check rate limit
    that the API shares (eligibility.throttling)."""
    if request.method == "POST" and not self_check_allowed(request):
        return _self_check_limited(request)
    today = timezone.localdate()
    household_form = SelfCheckHouseholdForm(request.POST or None)
    member_forms = SelfCheckMemberFormSet(request.POST or None, prefix="m", form_kwargs={"today": today})
    context: dict[str, Any] = {"household_form": household_form, "member_forms": member_forms}
    if request.method == "POST":
        check = SelfCheck(household_form, member_forms, today=today)
        check.run()
        context.update(check.context())
    return render(request, "eligibility/self_check.html", context)
