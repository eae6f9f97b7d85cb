"""Screens of the case: the workbench, the intake wizard, the case page with its timeline and the steps
this user may take now, each step's form, and the bureaus' filing queues."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    can_act_in,
    can_handle_filing,
    filing_queue_bureaus,
    scope_of,
    sees_full_id_numbers,
)
from accounts.actors import signed_in
from daye_relief.forms import run_service
from eligibility.engine import CATEGORY_LABELS
from eligibility.selectors import stored_reasons
from households.models import Member
from households.selectors.enrollments import household_enrollments
from households.selectors.households import household_get

from . import forms as case_forms
from . import selectors, services
from .actions import (
    ACCEPT_AT_WINDOW,
    ACTIONS,
    INTAKE,
    available,
    may,
    may_open_adjustment_for,
    may_open_case_for,
)
from .adjustment_outcomes import proposed_comparison, recorded_rows
from .case_panels import CASE_PANELS, WORKBENCH_PANELS
from .glossary import MATERIALS, Bureau, FilingStatus
from .models import AdjustmentMemberChange, Application, Filing
from .print_views import bureau_may_print_filing
from .services import MemberChange, adjustment_open
from .sources import describe_source
from .workflow import waiting


def _case(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_detail(user=request.user, pk=pk)
    if application is None:
        raise Http404("没有找到该案件，或您无权查看。")
    return application


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).reads_any_household:
        if filing_queue_bureaus(request.user):
            return redirect("applications:filings", bureau=filing_queue_bureaus(request.user)[0])
        raise PermissionDenied("您的角色没有案件工作台。")
    return render(
        request,
        "applications/workbench.html",
        {
            **selectors.workbench(
                user=request.user, stage=request.GET.get("stage", ""), page=request.GET.get("page")
            ),
            "bureaus": filing_queue_bureaus(request.user),
            "can_accept": bool(scope_of(request.user).roles & INTAKE),
            "accepts_at_window": bool(scope_of(request.user).roles & ACCEPT_AT_WINDOW),
            "panels": WORKBENCH_PANELS.render(request, None),
        },
    )


@login_required
def intake_start(request: HttpRequest) -> HttpResponse:
    """Step 1 of the wizard: find the family among stored households, or register it first."""
    q = request.GET.get("q", "").strip()[:64]
    full_ids = sees_full_id_numbers(request.user)
    rows = [
        {
            "household": household,
            "members": [
                (m.name, m.id_number if full_ids else m.masked_id_number, m.get_relation_display())
                for m in household.intake_members  # type: ignore[attr-defined]
            ],
            "open_case": next(iter(household.intake_open_cases), None),  # type: ignore[attr-defined]
            "enrolled": sorted(
                {e.get_category_display() for e in household.intake_enrollments}  # type: ignore[attr-defined]
            ),
        }
        for household in selectors.intake_search(user=request.user, q=q)
    ]
    accepts_at_window = bool(scope_of(request.user).roles & ACCEPT_AT_WINDOW)
    return render(
        request,
        "applications/intake_start.html",
        {"q": q, "rows": rows, "accepts_at_window": accepts_at_window},
    )


@login_required
def intake(request: HttpRequest, household_pk: int) -> HttpResponse:
    """Step 2: check the stored household (members, incomes, assets) and record the intake."""
    household = household_get(user=request.user, pk=household_pk, active_only=True)
    if not may_open_case_for(request.user, household):
        raise PermissionDenied("只有本镇社会事务办或本村(居)委会可以为该家庭提交申请。")
    refusal = selectors.household_intake_refusal(household, on=timezone.localdate())
    if refusal is not None:
        # Said before anything is filled in, with the way to the running case.
        messages.error(request, refusal.message)
        open_case = selectors.household_open_case(household)
        if open_case is not None:
            return redirect("applications:detail", pk=open_case.pk)
        if refusal.code == "enrolled" and may_open_adjustment_for(request.user, household):
            return redirect("applications:adjust", household_pk=household.pk)
        return redirect(f"{reverse('applications:intake_start')}?q={household.household_number}")
    # 受理 is the town's: a village committee forwards the application to the town's inbox.
    at_window = can_act_in(
        request.user, ACCEPT_AT_WINDOW, village_id=household.village_id, town_id=household.village.parent_id
    )
    form = case_forms.IntakeForm(request.POST or None, household=household, forwarding=not at_window)
    if request.method == "POST" and form.is_valid():
        intake = services.Intake(household=household, **form.cleaned_data)
        service = services.application_accept if at_window else services.application_submit
        application = run_service(
            request, lambda: service(intake=intake, acting_user=signed_in(request)), form=form
        )
        if application is not None:
            messages.success(
                request,
                f"已受理，案件编号 {application.case_number}。请打印材料清单和承诺书。"
                if at_window
                else f"已转报镇社会事务办，案件编号 {application.case_number}，待镇受理后开始计算办理期限。",
            )
            return redirect("applications:detail", pk=application.pk)
    members = household.members.filter(is_active=True).prefetch_related("incomes")
    return render(
        request,
        "applications/intake.html",
        {
            "form": form,
            "household": household,
            "members": members,
            "assets": household.assets.all(),
            "expenses": household.rigid_expenses.all(),
            "full_ids": sees_full_id_numbers(request.user),
            "at_window": at_window,
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    reviews = list(application.reviews.all())
    return render(
        request,
        "applications/detail.html",
        {
            "case": application,
            "actions": [
                (code, action.label, action.main) for code, action in available(request.user, application)
            ],
            "waiting": waiting(request.user, application),
            "materials": [label for code, label in MATERIALS if code in application.materials],
            "investigation": getattr(application, "investigation", None),
            "review": reviews[-1] if reviews else None,
            "result": application.assessment.result if application.assessment else None,
            "reasons": stored_reasons(
                application.assessment.result,
                {str(m.pk): m.name for m in application.household.members.all()},
            )
            if application.assessment
            else [],
            "labels": CATEGORY_LABELS,
            "filings": list(application.filings.all()),
            "full_ids": sees_full_id_numbers(request.user),
            "can_print": may(request.user, "print", application),
            "bureau_print": bureau_may_print_filing(request.user, application),
            "can_resubmit": may(request.user, "resubmit_filing", application),
            **_adjustment_context(application),
            "panels": CASE_PANELS.render(request, application),
            "source": describe_source(request.user, application.source)
            if application.is_adjustment
            else None,
        },
    )


def _adjustment_context(application: Application) -> dict[str, Any]:
    if not application.is_adjustment:
        return {}
    outcomes = recorded_rows(application)
    return {
        "change": AdjustmentMemberChange.objects.filter(application=application)
        .select_related("member")
        .first(),
        "outcomes": outcomes,
        "comparison": []
        if outcomes or application.investigation_due is None or application.assessment_id is None
        else proposed_comparison(application, on=timezone.localdate()),
    }


@login_required
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None or not spec.on_case_page or spec.form is None:
        raise Http404("没有这个办理步骤。")
    application = _case(request, pk)
    if not may(request.user, action, application):
        raise PermissionDenied("您的角色不能办理这一步。")
    # Bound on every POST, even an empty one (a step with no fields is just a button).
    form = spec.form(request.POST if request.method == "POST" else None, application=application)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: spec.run(application, form.cleaned_data, request.user, form), form=form
        )
        if done is not None:
            messages.success(request, spec.done)
        if done is not None or not form.errors:  # done, or refused as a move: back to the case
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/step.html",
        {"case": application, "form": form, "title": spec.label, "action": action},
    )


@login_required
def filing_queue(request: HttpRequest, bureau: str) -> HttpResponse:
    if bureau not in Bureau.values:
        raise Http404("没有这个备案队列。")
    if bureau not in filing_queue_bureaus(request.user):
        raise PermissionDenied("只有该局的审核人员可以处理备案。")
    status = request.GET.get("status", FilingStatus.PENDING)
    return render(
        request,
        "applications/filing_queue.html",
        {
            "bureau": Bureau(bureau),
            "filings": selectors.filing_queue(bureau=bureau, status=status),
            "status": status,
            "statuses": FilingStatus.choices,
            "labels": CATEGORY_LABELS,
        },
    )


@login_required
@require_POST
def filing_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    filing = get_object_or_404(Filing.objects.select_related("application__household"), pk=pk)
    form = case_forms.FilingActionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    if verb == "resubmit":
        if not may(request.user, "resubmit_filing", filing.application):
            raise PermissionDenied("只有本镇社会事务办可以更正后重新报送。")
        action, target = services.filing_resubmit, redirect("applications:detail", pk=filing.application_id)
    elif verb in ("acknowledge", "return"):
        if not can_handle_filing(request.user, filing):
            raise PermissionDenied("只有该局的审核人员可以处理备案。")
        action = services.filing_acknowledge if verb == "acknowledge" else services.filing_return
        target = redirect("applications:filings", bureau=filing.bureau)
    else:
        raise Http404("没有这个操作。")
    if (
        run_service(request, lambda: action(filing=filing, acting_user=signed_in(request), note=note))
        is not None
    ):
        messages.success(
            request,
            {
                "acknowledge": "已确认备案。",
                "return": "已退回更正。",
                "resubmit": "已重新报送。",
            }[verb],
        )
    return target


@login_required
@require_POST
def household_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """The household page's 移出 button. Served here, above households, because whether a member may
    leave depends on the cases that name them (services.household_member_remove)."""
    household = household_get(user=request.user, pk=pk, for_write=True)
    member = get_object_or_404(Member, pk=member_pk, household=household, is_active=True)
    reason = request.POST.get("reason", "").strip()[:100]  # the history's change reason holds 100
    removed = run_service(
        request,
        lambda: services.household_member_remove(
            member=member, reason=reason, acting_user=signed_in(request)
        ),
    )
    if removed is not None:
        messages.success(request, f"已将 {member.name} 移出本户（记录保留在修改历史中）。")
    return redirect("households:detail", pk=household.pk)


@login_required
def adjust(request: HttpRequest, household_pk: int) -> HttpResponse:
    """动态调整立案 on an enrolled household (DESIGN §3.7), from the household page: its 办理动态调整, or
    a member's 办理成员变更 (`?member=`), which is how a member of an enrolled household leaves."""
    household = household_get(user=request.user, pk=household_pk, active_only=True)
    if not may_open_adjustment_for(request.user, household):
        raise PermissionDenied(
            "只有本镇社会事务办可以办理动态调整；村(居)委会发现家庭变化的，请报告镇社会事务办。"
        )
    member = None
    if request.GET.get("member", "").isdigit():
        member = get_object_or_404(Member, pk=int(request.GET["member"]), household=household, is_active=True)
    form = case_forms.AdjustmentForm(request.POST or None, household=household, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = (
            MemberChange(data["kind"], data["member"], data["happened_on"], data["evidence"])
            if data["trigger"] == "member_change"
            else None
        )
        application = run_service(
            request,
            lambda: adjustment_open(
                household=household,
                trigger=data["trigger"],
                note=data["note"],
                opened_on=data["opened_on"],
                source=data["source"],
                member_change=change,
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if application is not None:
            messages.success(request, f"已立案动态调整，案件编号 {application.case_number}。")
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/adjust.html",
        {
            "form": form,
            "household": household,
            "member": member,
            "enrollments": household_enrollments(household=household),
            "open_case": selectors.household_open_case(household),
        },
    )
