"""Screens of monitoring: the shared-data desk (a department's uploads, warnings and deliveries; the
bureaus' delivery summaries), an import's progress and report with its rejected rows to download, the
warning list and a warning's page with its actions."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    application_read_filter,
    can_close_warning,
    can_handle_warning,
    delivering_unit_ids,
    department_ids,
    household_read_filter,
    scope_of,
    sees_warning_full_ids,
)
from accounts.models import OrgUnit
from applications.models import Application
from applications.workflow import may_open_adjustment_for
from daye_relief.forms import run_service
from households.models import Household

from . import selectors
from .datasets import DATASETS, Dataset, datasets_of_department
from .forms import FeedbackForm, OpenAdjustmentForm, UploadForm
from .glossary import ImportChannel, ImportStatus, WarningAction, WarningStatus
from .models import Warning
from .services.imports import dataset_import_register, import_progress
from .services.warnings import (
    death_change_default,
    opens_member_change,
    warning_acknowledge,
    warning_close,
    warning_feedback,
    warning_open_adjustment,
)
from .tasks import run_import
from .workflow import WARNING

WARNING_PAGE = 50  # warnings per page of the warning list


def _my_departments(request: HttpRequest) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=delivering_unit_ids(request.user)).order_by("code"))


def _my_datasets(departments: list[OrgUnit]) -> list[Dataset]:
    return [d for unit in departments for d in datasets_of_department(unit.code)]


def _may_see_monitoring(request: HttpRequest) -> bool:
    scope = scope_of(request.user)
    return bool(department_ids(request.user)) or scope.reads_any_household


def _desk_context(request: HttpRequest, form: UploadForm | None = None) -> dict[str, Any]:
    departments = _my_departments(request)
    datasets = _my_datasets(departments)
    whole_city = scope_of(request.user).whole_city
    today = timezone.localdate()
    warnings = selectors.warning_list(user=request.user, status="active", today=today)
    show_summaries = bool(departments) or whole_city
    return {
        "departments": departments,
        "datasets": datasets,
        "form": form or (UploadForm(datasets=datasets) if datasets else None),
        "imports": selectors.import_list(user=request.user)[:20] if departments else [],
        "warnings": warnings[:50],
        "warning_count": warnings.count(),
        "today": today,
        "summaries": selectors.delivery_summaries(
            department_ids=None if whole_city else department_ids(request.user)
        )[:120]
        if show_summaries
        else [],
        "full": sees_warning_full_ids(request.user),
    }


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    if not _may_see_monitoring(request):
        raise PermissionDenied("您的角色没有数据共享与预警。")
    return render(request, "monitoring/desk.html", _desk_context(request))


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    departments = _my_departments(request)
    datasets = _my_datasets(departments)
    if not datasets:
        raise PermissionDenied("只有部门用户可以上传共享数据。")
    form = UploadForm(request.POST, request.FILES, datasets=datasets)
    if form.is_valid():
        dataset = DATASETS[form.cleaned_data["dataset"]]
        department = next(unit for unit in departments if unit.code == dataset.department)
        upload_file = form.cleaned_data["file"]
        outcome = run_service(
            request,
            lambda: dataset_import_register(
                dataset_key=dataset.key,
                period=form.cleaned_data["period"],
                binary=upload_file,
                file_name=upload_file.name or "",
                department=department,
                channel=ImportChannel.UPLOAD,
                acting_user=request.user,
                keep_file=True,
            ),
            form=form,
        )
        if outcome is not None:
            record = outcome.dataset_import
            if outcome.duplicate_of is not None and record.status == ImportStatus.DONE:
                messages.info(
                    request, f"这个文件已于 {record.created_at:%Y-%m-%d %H:%M} 导入过，未重复导入。"
                )
            else:
                transaction.on_commit(lambda: run_import.delay(record.pk))
            return redirect("monitoring:import_detail", pk=record.pk)
    return render(request, "monitoring/desk.html", _desk_context(request, form), status=400)


def _import(request: HttpRequest, pk: int) -> Any:
    record = selectors.import_detail(user=request.user, pk=pk)
    if record is None:
        raise Http404("没有找到该导入，或您无权查看。")
    return record


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _import(request, pk)
    dataset = DATASETS[record.dataset]
    return render(
        request,
        "monitoring/import_detail.html",
        {"record": record, "dataset": dataset, "progress": import_progress(record.pk)},
    )


@login_required
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    record = _import(request, pk)
    return JsonResponse(
        {
            "status": record.status,
            "status_label": record.get_status_display(),
            "rows_read": record.rows if record.status == ImportStatus.DONE else import_progress(record.pk),
            "finished": record.status in (ImportStatus.DONE, ImportStatus.FAILED),
        }
    )


@login_required
def import_rejected(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The rejected rows with their cells as read, plus the row number, column and reason: correct the
    cells and upload the file again (the three extra columns are ignored)."""
    record = _import(request, pk)
    dataset = DATASETS[record.dataset]
    headers = [c.header for c in dataset.all_columns] + ["原行号", "问题列", "退回原因"]
    # One line per rejected row (its cells as read, in row order), with all of its faults.
    faults: dict[int, list[dict[str, Any]]] = {}
    for fault in record.rejected:
        faults.setdefault(fault["row"], []).append(fault)
    rows = [
        [values.get(c.key, "") for c in dataset.all_columns]
        + [number, "、".join(f["column"] for f in found), "；".join(f["reason"] for f in found)]
        for (number, found), values in zip(faults.items(), record.rejected_values, strict=False)
    ]
    name = f"{dataset.key}-{record.period}-rejected-{record.pk}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("退回行")
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt != "csv":
        raise Http404
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    if not _may_see_monitoring(request) and not scope_of(request.user).whole_city:
        raise PermissionDenied("您的角色没有预警。")
    status = request.GET.get("status", "active")
    if status not in ("active", "", *WarningStatus.values):
        status = "active"
    page = Paginator(selectors.warning_list(user=request.user, status=status), WARNING_PAGE).get_page(
        request.GET.get("page")
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
    warning = selectors.warning_detail(user=request.user, pk=pk)
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
    household_link = Household.objects.filter(
        household_read_filter(request.user), pk=warning.household_id
    ).exists()
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
        if run_service(request, lambda: warning_acknowledge(warning_id=warning.pk, acting_user=request.user)):
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
                acting_user=request.user,
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
                acting_user=request.user,
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
            request, lambda: warning_close(warning_id=warning.pk, acting_user=request.user, note=note)
        ):
            messages.success(request, "预警已办结。")
    else:
        raise Http404
    return redirect("monitoring:warning_detail", pk=warning.pk)


def _done_message(pk: int, said: str) -> str:
    case = Warning.objects.filter(pk=pk).values_list("adjustment__case_number", flat=True).first()
    return f"{said}已启动动态调整案件 {case}。" if case else said
