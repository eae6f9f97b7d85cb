"""The evidence pages: adding files to a household or a case, reading one, withdrawing one. Files are
never served by URL: every download passes here, checks the reader's scope per object and is sent with
`no-store` and `nosniff` (DESIGN §3.11)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.actors import signed_in
from accounts.models import User
from applications.models import Application
from applications.selectors import application_list
from daye_relief.forms import run_service
from households.models import Member
from households.selectors.households import household_get

from . import services
from .access import allowed_kinds, may_upload_for
from .codes import HEALTH_KINDS, OTHER_MATERIALS, STAGE_KINDS, DocumentKind
from .models import Document
from .selectors import case_documents, document_get, household_documents

INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
MAX_FILES = 20


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def upload(request: HttpRequest, household_pk: int) -> HttpResponse:
    """One or several files of one kind, on the household and (when named) one of its cases."""
    household = household_get(user=request.user, pk=household_pk)
    fallback = f"/households/{household.pk}/"
    if not may_upload_for(request.user, household):
        raise PermissionDenied("只有家庭所在镇的工作人员或所在村(居)委会可以上传材料。")
    application = None
    if request.POST.get("application"):
        application = (
            application_list(user=request.user)
            .filter(household=household, pk=request.POST["application"])
            .first()
        )
        if application is None:
            raise Http404("没有找到这个案件。")
        fallback = f"/cases/{application.pk}/"
    member = None
    if request.POST.get("member"):
        member = Member.objects.filter(household=household, pk=request.POST["member"]).first()
        if member is None:
            messages.error(request, "所选成员不属于这个家庭。")
            return _back(request, fallback)
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "请选择要上传的文件。")
        return _back(request, fallback)
    if len(files) > MAX_FILES:
        messages.error(request, f"一次最多上传 {MAX_FILES} 个文件（选择了 {len(files)} 个），请分批上传。")
        return _back(request, fallback)
    actor = signed_in(request)
    stored = 0
    for upload_file in files:
        document = run_service(
            request,
            lambda f=upload_file: services.document_upload(  # type: ignore[misc]
                household=household,
                application=application,
                member=member,
                kind=request.POST.get("kind", ""),
                source=f,
                name=f.name or "",
                note=request.POST.get("note", ""),
                material=request.POST.get("material", ""),
                acting_user=actor,
            ),
        )
        stored += document is not None
    if stored:
        messages.success(request, f"已上传 {stored} 个文件。")
    return _back(request, fallback)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to the reader whose scope holds it: as an attachment, or shown in the page (`?inline=1`)
    for an image or a PDF."""
    document = document_get(user=request.user, pk=pk)
    return file_response(document, inline=request.GET.get("inline") == "1")


def file_response(document: Document, *, inline: bool) -> FileResponse:
    """The stored file, streamed: an attachment, or shown in the page for an image or a PDF; never cached,
    never sniffed into another type. The page and the API send it alike."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not (inline and document.content_type in INLINE_TYPES),
        filename=f"{document.get_kind_display()}-{document.pk}{document.suffix}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_get(user=request.user, pk=pk)
    fallback = (
        f"/cases/{document.application_id}/"
        if document.application_id
        else f"/households/{document.household_id}/"
    )
    done = run_service(
        request,
        lambda: services.document_withdraw(
            document=document, reason=request.POST.get("reason", ""), acting_user=signed_in(request)
        ),
    )
    if done is not None:
        messages.success(request, "材料已撤回（保留在档案中，并标注撤回理由）。")
    return _back(request, fallback)


def _panel(
    request: HttpRequest,
    household: Any,
    documents: list[Document],
    *,
    offered: tuple[str, ...] = tuple(DocumentKind.values),
    **extra: Any,
) -> dict[str, Any] | None:
    can_upload = may_upload_for(request.user, household)
    if not documents and not can_upload and "checklist" not in extra:
        return None
    kinds = allowed_kinds(request.user)
    user = request.user
    for document in documents:
        document.can_withdraw = isinstance(user, User) and services.may_withdraw(user, document)  # type: ignore[attr-defined]
    if DocumentKind.OTHER not in offered:
        offered = (*offered, DocumentKind.OTHER)
    return {
        "documents": documents,
        "can_upload": can_upload,
        "kinds": [(code, DocumentKind(code).label) for code in offered if code in kinds],
        "other_materials": OTHER_MATERIALS,
        "health_kinds": sorted(HEALTH_KINDS),
        "household": household,
        "members": list(household.members.filter(is_active=True)) if can_upload else [],
        **extra,
    }


def household_panel(request: HttpRequest, household: Any) -> dict[str, Any] | None:
    return _panel(request, household, household_documents(user=request.user, household=household))


def case_panel(request: HttpRequest, application: Application) -> dict[str, Any] | None:
    """The case's documents with its checklist: each item received or missing, with the documents behind
    it (the reader's own: a health document stays hidden from village staff)."""
    documents = case_documents(user=request.user, application=application)
    behind: dict[str, list[Document]] = {}
    for document in documents:
        if not document.is_withdrawn and document.material:
            behind.setdefault(document.material, []).append(document)
    checklist = [(item, behind.get(item.code, [])) for item in application.checklist]
    return _panel(
        request,
        application.household,
        documents,
        offered=STAGE_KINDS.get(application.stage, ()),
        application=application,
        checklist=checklist,
        missing=application.materials_missing,
    )
