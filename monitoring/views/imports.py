"""Screens of shared data: the desk (a department's uploads, warnings and deliveries; the bureaus' delivery
summaries), an import's progress and report with its rejected rows to download."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    delivering_unit_ids,
    department_ids,
    scope_of,
    sees_warning_full_ids,
)
from accounts.actors import signed_in
from accounts.models import OrgUnit
from daye_relief.forms import run_service

from ..datasets import DATASETS, Dataset, datasets_of_department
from ..forms.imports import UploadForm
from ..glossary import ImportStatus
from ..selectors import imports as import_selectors
from ..selectors import warnings as warning_selectors
from ..services.imports import import_progress
from ..services.uploads import dataset_upload_receive


def _my_departments(request: HttpRequest) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=delivering_unit_ids(request.user)).order_by("code"))


def _my_datasets(departments: list[OrgUnit]) -> list[Dataset]:
    return [d for unit in departments for d in datasets_of_department(unit.code)]


def may_see_monitoring(request: HttpRequest) -> bool:
    scope = scope_of(request.user)
    return bool(department_ids(request.user)) or scope.reads_any_household


def _desk_context(request: HttpRequest, form: UploadForm | None = None) -> dict[str, Any]:
    departments = _my_departments(request)
    datasets = _my_datasets(departments)
    whole_city = scope_of(request.user).whole_city
    today = timezone.localdate()
    warnings = warning_selectors.warning_list(user=request.user, status="active", today=today)
    show_summaries = bool(departments) or whole_city
    return {
        "departments": departments,
        "datasets": datasets,
        "form": form or (UploadForm(datasets=datasets) if datasets else None),
        "imports": import_selectors.import_list(user=request.user)[:20] if departments else [],
        "warnings": warnings[:50],
        "warning_count": warnings.count(),
        "today": today,
        "summaries": import_selectors.delivery_summaries(
            department_ids=None if whole_city else department_ids(request.user)
        )[:120]
        if show_summaries
        else [],
        "full": sees_warning_full_ids(request.user),
    }


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    if not may_see_monitoring(request):
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
            lambda: dataset_upload_receive(
                dataset_key=dataset.key,
                period=form.cleaned_data["period"],
                binary=upload_file,
                file_name=upload_file.name or "",
                department=department,
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if outcome is not None:
            record = outcome.dataset_import
            if outcome.duplicate_of is not None and record.status == ImportStatus.DONE:
                messages.info(
                    request, f"这个文件已于 {record.created_at:%Y-%m-%d %H:%M} 导入过，未重复导入。"
                )
            return redirect("monitoring:import_detail", pk=record.pk)
    return render(request, "monitoring/desk.html", _desk_context(request, form), status=400)


def _import(request: HttpRequest, pk: int) -> Any:
    record = import_selectors.import_detail(user=request.user, pk=pk)
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
