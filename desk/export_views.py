"""Exports of the lists (DESIGN §3.10): a small one downloads at once, a large one becomes a job with
progress whose file only its owner can download. What may be exported, with which filters and masking,
is decided in desk.exports (which asks accounts.access)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.actors import signed_in
from daye_relief.forms import run_service
from journal import services as journal
from journal.codes import Action, ObjectKind

from . import export_queue, exports
from .models import ExportStatus
from .retention import retention_days


def _export(request: HttpRequest, key: str) -> exports.ListExport:
    if key not in exports.REGISTRY:
        raise Http404("没有这个清单。")
    export = exports.export_for(request.user, key)
    if export is None:
        raise PermissionDenied("您不能导出这个清单。")
    return export


def _journal_export(request: HttpRequest, export: exports.ListExport, params: Any, rows: int) -> None:
    """An export leaves its list, filters, row count and whether it carried full ID numbers; the text of
    a search (a name, an ID) only as what kind of text it was."""
    filters = {
        key: ("（已填写）" if key == "q" else value)
        for key, value in (params.items() if hasattr(params, "items") else [])
        if value and key != "page"
    }
    journal.note(
        request,
        Action.EXPORT_LIST,
        object_kind=ObjectKind.EXPORT,
        object_id=export.key,
        detail={
            "export": export.key,
            "filters": {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in filters.items()},
            "rows": rows,
            "full_ids": export.viewer(request.user).full_ids,
        },
    )


@login_required
def export_list(request: HttpRequest, key: str) -> HttpResponse:
    """The list as on its page (the same query string): the file at once when small, else a page that
    offers to build it in the background."""
    export = _export(request, key)
    total = exports.export_count(export=export, user=request.user, params=request.GET)
    if total <= exports.sync_limit():
        content = exports.export_now(export=export, user=request.user, params=request.GET)
        _journal_export(request, export, request.GET.dict(), total)
        response = HttpResponse(content, content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="{exports.file_name(export)}"'
        return response
    return render(
        request,
        "desk/export_confirm.html",
        {
            "export": export,
            "total": total,
            "limit": exports.sync_limit(),
            "query": request.GET.urlencode(),
            "retention_days": retention_days(),
        },
    )


@login_required
@require_POST
def export_start(request: HttpRequest, key: str) -> HttpResponse:
    _export(request, key)
    job = run_service(
        request,
        lambda: export_queue.export_job_create(
            list_key=key, params=request.GET, acting_user=signed_in(request)
        ),
    )
    if job is None:
        raise PermissionDenied("您不能导出这个清单。")
    return redirect("desk:export_job", pk=job.pk)


def _owned(request: HttpRequest, pk: int) -> exports.ExportJob:
    job = exports.owned_job(user=request.user, pk=pk)
    if job is None:
        raise Http404("没有找到该导出任务。")
    return job


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _owned(request, pk)
    export = exports.REGISTRY.get(job.list_key)
    return render(
        request,
        "desk/export_job.html",
        {"job": job, "title": export.title if export else job.list_key, "retention_days": retention_days()},
    )


@login_required
def export_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _owned(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "error": job.error,
        }
    )


@login_required
def export_job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _owned(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404("文件尚未生成。")
    export = exports.REGISTRY.get(job.list_key)
    name = f"{job.list_key}-{job.pk}.xlsx" if export is None else f"{export.key}-{job.pk}.xlsx"
    if export is not None:
        _journal_export(request, export, job.params, job.total)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type=exports.XLSX)
