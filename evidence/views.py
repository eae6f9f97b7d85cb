"""The evidence pages: adding files to a household or a case, reading one, withdrawing one. Files are
never served by URL: every download passes here, checks the reader's scope per object and is sent with
`no-store` and `nosniff` (DESIGN §3.11)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.actors import signed_in
from accounts.models import User
from applications.models import Application
from applications.selectors import application_list
from daye_relief.forms import run_service
from households.models import Member
from households.selectors.households import household_get
from journal import services as journal
from journal.codes import Action, ObjectKind
from publicity.glossary import NoticeStatus
from publicity.selectors import staff_notices

from . import services
from .access import allowed_kinds, may_upload_for, may_upload_for_village
from .archive import may_archive, owned_archive
from .archive_queue import archive_job_create
from .codes import HEALTH_KINDS, OTHER_MATERIALS, STAGE_KINDS, DocumentKind
from .models import ArchiveStatus, Document
from .selectors import case_documents, document_get, household_documents, notice_photos, visit_documents

RUNNING = frozenset({ArchiveStatus.QUEUED, ArchiveStatus.RUNNING})
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
    if request.GET.get("thumb") == "1":
        if not document.thumbnail:
            raise Http404("这份材料没有缩略图。")
        return _private(
            FileResponse(document.thumbnail.open("rb"), as_attachment=False, content_type="image/jpeg")
        )
    inline = request.GET.get("inline") == "1"
    journal_document(request, document, inline=inline)
    return file_response(document, inline=inline)


def journal_document(request: HttpRequest, document: Document, *, inline: bool, user: Any = None) -> None:
    """Viewing (in the page) or downloading a document of a family leaves its journal row."""
    journal.note(
        request,
        Action.VIEW_DOCUMENT
        if inline and document.content_type in INLINE_TYPES
        else Action.DOWNLOAD_DOCUMENT,
        object_kind=ObjectKind.DOCUMENT,
        object_id=document.pk,
        household_id=document.household_id,
        town_id=document.household.village.parent_id,
        detail={"kind": document.kind},
        user=user,
    )


def file_response(document: Document, *, inline: bool) -> FileResponse:
    """The stored file, streamed: an attachment, or shown in the page for an image or a PDF; never cached,
    never sniffed into another type. The page and the API send it alike."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not (inline and document.content_type in INLINE_TYPES),
        filename=f"{document.get_kind_display()}-{document.pk}{document.suffix}",
        content_type=document.content_type,
    )
    return _private(response)


def _private(response: FileResponse) -> FileResponse:
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
        can_archive=isinstance(request.user, User) and may_archive(request.user, application),
    )


# A visit's photos, taken with the phone's camera on the visit form and shown on the visit's page.


def visit_form_panel(request: HttpRequest, household: Any) -> dict[str, Any] | None:
    return {} if may_upload_for(request.user, household) else None


def visit_photos_taken(request: HttpRequest, visit: Any) -> None:
    """The photos sent with a saved visit: each checked and stored, a refused one named (the visit and the
    other photos are kept)."""
    photos = request.FILES.getlist("photo")[:MAX_FILES]
    if not photos or not may_upload_for(request.user, visit.household):
        return
    actor = signed_in(request)
    stored = 0
    for photo in photos:
        document = run_service(
            request,
            lambda f=photo: services.document_upload(  # type: ignore[misc]
                household=visit.household,
                visit=visit,
                kind=DocumentKind.VISIT_PHOTO,
                source=f,
                name=f.name or "",
                acting_user=actor,
            ),
        )
        stored += document is not None
    if stored:
        messages.success(request, f"已保存 {stored} 张走访照片。")


def visit_panel(request: HttpRequest, visit: Any) -> dict[str, Any] | None:
    photos = visit_documents(user=request.user, visit=visit)
    return {"documents": photos, "title": "走访照片"} if photos else None


# The notice's photo on the village board (公示留痕).


def notice_panel(request: HttpRequest, notice: Any) -> dict[str, Any] | None:
    can_upload = notice.status != NoticeStatus.DRAFT and may_upload_for_village(request.user, notice.village)
    photos = notice_photos(user=request.user, notice=notice)
    if not photos and not can_upload:
        return None
    return {"documents": photos, "can_upload": can_upload, "notice": notice, "title": "公示张贴照片"}


@login_required
@require_POST
def notice_photo(request: HttpRequest, notice_pk: int) -> HttpResponse:
    notice = staff_notices(user=request.user).filter(pk=notice_pk).select_related("village").first()
    if notice is None:
        raise Http404("没有找到该公示，或您无权查看。")
    fallback = f"/notices/{notice.pk}/"
    photos = request.FILES.getlist("file")[:MAX_FILES]
    if not photos:
        messages.error(request, "请选择或拍摄公示张贴照片。")
        return _back(request, fallback)
    actor = signed_in(request)
    for photo in photos:
        stored = run_service(
            request,
            lambda f=photo: services.notice_photo_upload(  # type: ignore[misc]
                notice=notice,
                source=f,
                name=f.name or "",
                note=request.POST.get("note", ""),
                acting_user=actor,
            ),
        )
        if stored:
            messages.success(request, f"已保存公示照片「{photo.name}」，存入 {len(stored)} 个案件的材料。")
    return _back(request, fallback)


# The archive of a filed case (电子档案), built in the background.


@login_required
@require_POST
def archive_start(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = application_list(user=request.user).filter(pk=application_pk).first()
    if application is None:
        raise Http404("没有找到这个案件。")
    job = run_service(
        request, lambda: archive_job_create(application=application, acting_user=signed_in(request))
    )
    if job is None:
        return redirect(f"/cases/{application.pk}/")
    return redirect("evidence:archive_job", pk=job.pk)


@login_required
def archive_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = owned_archive(user=request.user, pk=pk)
    if job is None:
        raise Http404("没有找到这个生成任务。")
    return render(request, "evidence/archive_job.html", {"job": job, "running": job.status in RUNNING})


@login_required
def archive_file(request: HttpRequest, pk: int) -> FileResponse:
    job = owned_archive(user=request.user, pk=pk)
    if job is None or job.status != ArchiveStatus.DONE or not job.file:
        raise Http404("电子档案尚未生成。")
    return _private(
        FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"{job.application.case_number}-电子档案.pdf",
            content_type="application/pdf",
        )
    )
