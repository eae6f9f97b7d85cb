"""Screens of warnings: the warning list and a warning's page with its actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    application_read_filter,
    can_close_warning,
    can_handle_warning,
    scope_of,
    sees_warning_full_ids,
)
from accounts.actors import signed_in
from applications.models import Application
from applications.workflow import may_open_adjustment_for
from daye_relief.forms import run_service
from households.selectors.households import household_readable

from ..datasets import DATASETS
from ..forms.warnings import FeedbackForm, OpenAdjustmentForm
from ..glossary import WarningAction, WarningStatus
from ..models import Warning
from ..selectors import warnings as warning_selectors
from ..services.warnings import (
    death_change_default,
    opens_member_change,
    warning_acknowledge,
    warning_close,
    warning_feedback,
    warning_open_adjustment,
)
from ..workflow import WARNING
from .imports import may_see_monitoring

WARNING_PAGE = 50  # warnings per page of the warning list


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    if not may_see_monitoring(request) and not scope_of(request.user).whole_city:
        raise PermissionDenied("您的角色没有预警。")
    status = request.GET.get("status", "active")
    if status not in ("active", "", *WarningStatus.values):
        status = "active"
    page = warning_selectors.warning_page(
        user=request.user, status=status, number=request.GET.get("page"), per_page=WARNING_PAGE
    )
    return render(
        request,
        "monitoring/warning_list.html",
        {
            "page": page,
            "warnings": page.object_list,
            "count": page.paginator.count,
            "query": urlencode({"status": status}),
            "status": status,
            "statuses": [("active", "未办结"), *WarningStatus.choices, ("", "全部")],
            "today": timezone.localdate(),
            "full": sees_warning_full_ids(request.user),
        },
    )


def _warning(request: HttpRequest, pk: int) -> Any:
    warning = warning_selectors.warning_detail(user=request.user, pk=pk)
    if warning is None:
        raise Http404("没有找到该预警，或您无权查看。")
    return warning


def _death_form_kwargs(request: HttpRequest, warning: Any, may_adjust: bool) -> dict[str, Any]:
    """The death fields, prefilled from the shared row, for a clerk who may open the case."""
    if not (may_adjust and opens_member_change(warning)):
        return {}
    happened_on, evidence = death_change_default(warning)
    return {"death": True, "initial": {"happened_on": happened_on, "evidence": evidence}}


@login_required
def warning_detail(
    request: HttpRequest,
    pk: int,
    form: FeedbackForm | None = None,
    adjust_form: OpenAdjustmentForm | None = None,
) -> HttpResponse:
    warning = _warning(request, pk)
    household_link = household_readable(user=request.user, pk=warning.household_id)
    may_adjust = may_open_adjustment_for(request.user, warning.household)
    death = _death_form_kwargs(request, warning, may_adjust)
    can_adjust = (
        may_adjust
        and WARNING.allows("open_adjustment", warning.status)
        and warning.action == WarningAction.REINVESTIGATION
        and warning.adjustment_id is None
    )
    return render(
        request,
        "monitoring/warning_detail.html",
        {
            "warning": warning,
            "dataset": DATASETS.get(warning.source_row.dataset) if warning.source_row else None,
            "today": timezone.localdate(),
            "full": sees_warning_full_ids(request.user),
            "household_link": household_link,
            "case_link": warning.adjustment_id is not None
            and Application.objects.filter(
                application_read_filter(request.user), pk=warning.adjustment_id
            ).exists(),
            "may_adjust": may_adjust,
            "death": bool(death),
            "can_handle": can_handle_warning(request.user, warning)
            and WARNING.allows("feedback", warning.status),
            "can_close": can_close_warning(request.user, warning) and WARNING.allows("close", warning.status),
            "can_adjust": can_adjust,
            "form": form or FeedbackForm(**death),
            "adjust_form": adjust_form or (OpenAdjustmentForm(**death) if can_adjust else None),
        },
        status=400 if form is not None or adjust_form is not None else 200,
    )


def _submit(
    request: HttpRequest, pk: int, form: FeedbackForm | OpenAdjustmentForm, call: Any, *, adjust: bool
) -> HttpResponse | None:
    """Runs the service with the form's data; the form again, with the refusal beside its field (or on
    top), when it refuses what was typed or the case side refuses to open."""
    shown = {"adjust_form": form} if adjust else {"form": form}
    if not form.is_valid():
        return warning_detail(request, pk, **shown)  # type: ignore[arg-type]
    if run_service(request, lambda: call(form.cleaned_data) or True, form=form) is None:
        return warning_detail(request, pk, **shown)  # type: ignore[arg-type]
    return None


@login_required
@require_POST
def warning_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    warning = _warning(request, pk)
    death = _death_form_kwargs(request, warning, may_open_adjustment_for(request.user, warning.household))
    death.pop("initial", None)
    if action == "acknowledge":
        if run_service(
            request, lambda: warning_acknowledge(warning_id=warning.pk, acting_user=signed_in(request))
        ):
            messages.success(request, "已签收，请按期反馈处理情况。")
    elif action == "feedback":
        form = FeedbackForm(request.POST, **death)
        shown = _submit(
            request,
            pk,
            form,
            lambda data: warning_feedback(
                warning_id=warning.pk,
                action=data["action"],
                feedback=data["feedback"],
                acting_user=signed_in(request),
                happened_on=data.get("happened_on"),
                evidence=data.get("evidence", ""),
            ),
            adjust=False,
        )
        if shown is not None:
            return shown
        messages.success(request, _done_message(warning.pk, "已反馈处理情况。"))
    elif action == "adjust":
        adjust_form = OpenAdjustmentForm(request.POST, **death)
        shown = _submit(
            request,
            pk,
            adjust_form,
            lambda data: warning_open_adjustment(
                warning_id=warning.pk,
                note=data["note"],
                acting_user=signed_in(request),
                happened_on=data.get("happened_on"),
                evidence=data.get("evidence", ""),
            ),
            adjust=True,
        )
        if shown is not None:
            return shown
        messages.success(request, _done_message(warning.pk, ""))
    elif action == "close":
        note = request.POST.get("note", "")
        if run_service(
            request, lambda: warning_close(warning_id=warning.pk, acting_user=signed_in(request), note=note)
        ):
            messages.success(request, "预警已办结。")
    else:
        raise Http404
    return redirect("monitoring:warning_detail", pk=warning.pk)


def _done_message(pk: int, said: str) -> str:
    case = Warning.objects.filter(pk=pk).values_list("adjustment__case_number", flat=True).first()
    return f"{said}已启动动态调整案件 {case}。" if case else said
