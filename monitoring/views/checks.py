"""Screens of the checks (DESIGN §3.6 Checks): the town's task list, a task's page with its result, the
civil-affairs reviewer's annual plan page, the central check export, and an ad hoc check opened from the
household page."""

from __future__ import annotations

import tempfile
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    can_export_central_check,
    can_plan_checks,
    can_work_check_tasks_in,
    scope_of,
)
from accounts.actors import signed_in
from accounts.glossary import OrgKind
from accounts.models import OrgUnit
from daye_relief.forms import run_service
from households.selectors.households import household_get, household_readable
from journal import services as journal
from journal.codes import Action, ObjectKind

from ..forms.checks import AdHocCheckForm, CheckPlanForm, CheckResultForm
from ..models import CentralCheckRun
from ..selectors import checks
from ..services.checks import check_plan_create, check_task_open_ad_hoc, check_task_record
from ..workflow import CHECK_TASK


def _may_see_checks(request: HttpRequest) -> bool:
    return scope_of(request.user).reads_any_household


def _may_see_plans(request: HttpRequest) -> bool:
    return scope_of(request.user).whole_city or can_export_central_check(request.user)


@login_required
def check_list(request: HttpRequest) -> HttpResponse:
    if not _may_see_checks(request):
        raise PermissionDenied("您的角色没有核查任务。")
    status = request.GET.get("status", "open")
    if status not in dict(checks.CHECK_TABS):
        status = "open"
    today = timezone.localdate()
    tasks = checks.check_task_list(user=request.user, status="" if status == "all" else status, on=today)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/checks/task_list.html",
        {
            "page": page,
            "status": status,
            "tabs": checks.CHECK_TABS,
            "today": today,
            "may_plan": _may_see_plans(request),
        },
    )


def _task(request: HttpRequest, pk: int) -> Any:
    task = checks.check_task_detail(user=request.user, pk=pk)
    if task is None:
        raise Http404("没有找到该核查任务，或您无权查看。")
    return task


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = CheckResultForm()
    status = 200
    may_record = CHECK_TASK.allows("record", task.status) and can_work_check_tasks_in(
        request.user, task.town_id
    )
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("只有家庭所在镇可以登记核查结果。")
        form = CheckResultForm(request.POST)
        if form.is_valid():
            done = run_service(
                request,
                lambda: check_task_record(
                    task_id=task.pk,
                    result=form.cleaned_data["result"],
                    note=form.cleaned_data["note"],
                    acting_user=signed_in(request),
                ),
                form=form,
            )
            if done is not None:
                messages.success(request, f"已登记核查结果：{done.get_result_display()}。")
                return redirect("monitoring:check_task", pk=task.pk)
        status = 400
    return render(
        request,
        "monitoring/checks/task_detail.html",
        {
            "task": task,
            "form": form,
            "may_record": may_record,
            "today": timezone.localdate(),
            "household_link": household_readable(user=request.user, pk=task.household_id),
        },
        status=status,
    )


@login_required
@require_POST
def open_ad_hoc(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_pk)
    if not can_work_check_tasks_in(request.user, household.village.parent_id):
        raise PermissionDenied("只有家庭所在镇可以发起不定期核查。")
    form = AdHocCheckForm(request.POST)
    if form.is_valid():
        task = run_service(
            request,
            lambda: check_task_open_ad_hoc(
                household=household,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if task is not None:
            messages.success(request, "已发起不定期核查。")
            return redirect("monitoring:check_task", pk=task.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("households:detail", household.pk)


def _towns() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=OrgKind.TOWN).order_by("code"))


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    if not _may_see_plans(request):
        raise PermissionDenied("年度核查计划由市民政局制定。")
    may_plan = can_plan_checks(request.user)
    towns = _towns()
    form = CheckPlanForm(towns=towns) if may_plan else None
    status = 200
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied("只有市民政局可以制定年度核查计划。")
        form = CheckPlanForm(request.POST, towns=towns)
        if form.is_valid():
            data = form.cleaned_data
            plan = run_service(
                request,
                lambda: check_plan_create(
                    year=data["year"],
                    mode=data["mode"],
                    seed=data["seed"],
                    shares=form.shares(),
                    due_on=data["due_on"],
                    acting_user=signed_in(request),
                ),
                form=form,
            )
            if plan is not None:
                messages.success(request, f"已下达{plan.year}年度核查，共 {plan.tasks.count()} 户。")
                return redirect("monitoring:check_plan", pk=plan.pk)
        status = 400
    plan_list = checks.check_plan_list()[:50] if scope_of(request.user).whole_city else []
    return render(
        request,
        "monitoring/checks/plans.html",
        {
            "form": form,
            "plans": plan_list,
            "may_export": can_export_central_check(request.user),
            "runs": CentralCheckRun.objects.filter(finished_at__isnull=False)[:12]
            if can_export_central_check(request.user)
            else [],
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not scope_of(request.user).whole_city:
        raise PermissionDenied("年度核查计划由市民政局制定。")
    plan = checks.check_plan_list().filter(pk=pk).first()
    if plan is None:
        raise Http404("没有找到该核查计划。")
    today = timezone.localdate()
    tasks = checks.check_task_list(user=request.user, on=today).filter(plan=plan)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/checks/plan_detail.html",
        {
            "plan": plan,
            "shares": [(town.name, plan.shares[town.code]) for town in _towns() if town.code in plan.shares],
            "progress": checks.plan_progress(plan, on=today),
            "results": checks.result_counts(plan),
            "page": page,
            "today": today,
        },
    )


@login_required
def central_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """集中核对 export: every enrolled household's members with full ID numbers (the bureaus and the
    administrator only)."""
    if not can_export_central_check(request.user):
        raise PermissionDenied("集中核对名单含完整身份证号，只有市民政局、市农业农村局和系统管理员可以导出。")
    try:
        on = date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else timezone.localdate()
    except ValueError:
        raise Http404("日期格式不对。") from None
    name = f"central-check-{on:%Y%m%d}"
    journal.note(
        request,
        Action.EXPORT_CENTRAL_CHECK,
        object_kind=ObjectKind.EXPORT,
        object_id="central_check",
        detail={"on": on.isoformat(), "format": fmt, "full_ids": True},
    )
    if fmt == "csv":
        response = StreamingHttpResponse(
            checks.central_check_csv(on=on), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        out = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115 - FileResponse closes it
        checks.central_check_xlsx(on=on, out=out)
        out.seek(0)
        return FileResponse(
            out,
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("没有这种格式。")


@login_required
def central_run_file(request: HttpRequest, period: str, fmt: str) -> HttpResponseBase:
    """The export a half-yearly run kept (the members enrolled on its day)."""
    if not can_export_central_check(request.user):
        raise PermissionDenied("集中核对名单含完整身份证号，只有市民政局、市农业农村局和系统管理员可以导出。")
    run = CentralCheckRun.objects.filter(period=period, finished_at__isnull=False).first()
    if run is None or fmt not in ("xlsx", "csv"):
        raise Http404("没有这期集中核对名单。")
    field = run.xlsx if fmt == "xlsx" else run.csv
    if not field:
        raise Http404("没有这期集中核对名单。")
    return FileResponse(field.open("rb"), as_attachment=True, filename=f"central-check-{run.period}.{fmt}")
