"""The electronic archive of a filed case (电子档案, DESIGN §3.11): one PDF with a contents page, the case's
forms, then every document in the checklist's order, each page numbered.

The contents page lists each part: its title, the document's kind, the member it concerns, its date, its
SHA-256 (the stored file's, so that anyone can check the archive against the system) and the page it
starts on. An image becomes one page of its own; a PDF keeps its pages. Built in the background
(tasks.build_archive) for the job's owner, with the owner's masking of ID numbers."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter

from accounts.access import scope_of
from applications.glossary import MATERIALS, Stage
from applications.models import Application
from applications.printing import FORMS, form_context
from applications.workflow import may
from daye_relief.pdf import render_pdf
from publicity.models import NoticeItem
from publicity.printing import LAYOUTS
from publicity.selectors import APPLICATION_TYPE, board_notice, committee_name

from .codes import HEALTH_READ_ROLES, DocumentKind
from .models import ArchiveJob, ArchiveStatus, Document

logger = logging.getLogger(__name__)

# The case's forms, in the file's order; the village notice comes after the investigation.
FORM_ORDER = ("application", "commitment", "investigation", "notice", "review", "decision", "filing")
_MATERIAL_ORDER = {code: index for index, (code, _) in enumerate(MATERIALS)}
_KIND_ORDER = {code: index for index, code in enumerate(DocumentKind.values)}
# A4 in inches, less a margin: an image is scaled to fit it.
_A4_INCHES = (7.7, 11.1)


@dataclass
class Part:
    title: str
    kind: str  # "表单" for the forms
    member: str
    day: date | None
    sha256: str
    pdf: bytes
    pages: int = 0
    start: int = 0


def archive_documents(application: Application) -> list[Document]:
    """The case's live documents and its household's own, in the checklist's order (the items of the list
    first, then each kind in the code list's order), oldest first within each."""
    documents = Document.objects.filter(
        household_id=application.household_id, withdrawn_at=None
    ).select_related("member")
    documents = documents.filter(application=application) | documents.filter(application=None)
    listed = application.materials

    def order(document: Document) -> tuple[int, int, int, Any, int]:
        on_list = 0 if document.material and document.material in listed else 1
        return (
            on_list,
            _MATERIAL_ORDER.get(document.material, len(MATERIALS)) if on_list == 0 else len(MATERIALS),
            _KIND_ORDER[document.kind],
            document.uploaded_at,
            document.pk,
        )

    return sorted(documents, key=order)


def _notice_item(application: Application) -> NoticeItem | None:
    """The posted notice that showed the case (the latest, when it was posted again after a return)."""
    return (
        NoticeItem.objects.filter(application=application, notice__posted_on__isnull=False)
        .select_related("notice__village__parent")
        .order_by("-notice__posted_on", "-pk")
        .first()
    )


def _notice_pdf(application: Application) -> bytes | None:
    item = _notice_item(application)
    if item is None:
        return None
    notice = item.notice
    layout = LAYOUTS["A4"]
    return render_pdf(
        "publicity/print_notice.html",
        {
            "notice": notice,
            "items": board_notice(notice),
            "committee": committee_name(notice.village),
            "application_type": APPLICATION_TYPE,
            "layout": layout,
            "paper": layout["paper"],
            "qr": "",
            "url": "",
            "printed_on": timezone.localdate(),
        },
    )


def _form_parts(application: Application, *, full_ids: bool) -> Iterable[Part]:
    for code in FORM_ORDER:
        if code == "notice":
            notice = _notice_pdf(application)
            if notice is not None:
                yield Part("村(居)公示", "表单", "", application.notice_closed_on, "", notice)
            continue
        if not _form_in_archive(application, code):
            continue
        form = FORMS[code]
        pdf = render_pdf(form.template, form_context(application, code, full_id_numbers=full_ids))
        title = "动态调整决定通知书" if code == "decision" and application.is_adjustment else form.title
        yield Part(title, "表单", "", None, "", pdf)


# An adjustment is opened by the town: it has no application form and no commitment of its own.
_APPLICATION_ONLY = frozenset({"application", "commitment"})


def _form_in_archive(application: Application, code: str) -> bool:
    if application.is_adjustment and code in _APPLICATION_ONLY:
        return False
    return FORMS[code].available(application)


def _image_page(document: Document) -> bytes:
    """The image centred on a white A4 page at 150 dpi (scaled down to fit, never up), so that every page
    of the archive has room for its number."""
    dpi = 150
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    with document.file.open("rb") as stored, Image.open(stored) as image:
        picture = image.convert("RGB")
        picture.thumbnail((round(_A4_INCHES[0] * dpi), round(_A4_INCHES[1] * dpi)))
        page = Image.new("RGB", (width, height), "white")
        page.paste(picture, ((width - picture.width) // 2, (height - picture.height) // 2))
        out = io.BytesIO()
        page.save(out, format="PDF", resolution=dpi)
        return out.getvalue()


def _document_part(document: Document) -> Part:
    if document.is_image:
        pdf = _image_page(document)
    else:
        with document.file.open("rb") as stored:
            pdf = stored.read()
    title = document.material_label if document.material else document.get_kind_display()
    if document.kind == DocumentKind.OTHER and document.note:
        title = f"{title}：{document.note}"
    return Part(
        title=title,
        kind=document.get_kind_display(),
        member=document.member.name if document.member else "",
        day=timezone.localtime(document.uploaded_at).date(),
        sha256=document.sha256,
        pdf=pdf,
    )


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _contents(application: Application, parts: list[Part], offset: int) -> bytes:
    start = offset + 1
    for part in parts:
        part.start = start
        start += part.pages
    return render_pdf(
        "evidence/archive_contents.html",
        {"case": application, "parts": parts, "printed_on": timezone.localdate(), "total": start - 1},
    )


def _numbers(application: Application, total: int) -> PdfReader:
    pdf = render_pdf("evidence/archive_numbers.html", {"case": application, "pages": range(total)})
    return PdfReader(io.BytesIO(pdf))


def archive_steps(application: Application) -> int:
    """How many parts the archive will have (its progress counts them)."""
    forms = sum(
        1
        for code in FORM_ORDER
        if (
            _notice_item(application) is not None if code == "notice" else _form_in_archive(application, code)
        )
    )
    return forms + len(archive_documents(application)) + 1


def archive_pdf(
    application: Application, *, full_ids: bool, progress: Callable[[int], None] | None = None
) -> bytes:
    """The archive's bytes. `progress(n)` is told after each part is ready."""
    parts: list[Part] = []
    for part in _form_parts(application, full_ids=full_ids):
        parts.append(part)
        if progress:
            progress(len(parts))
    for document in archive_documents(application):
        parts.append(_document_part(document))
        if progress:
            progress(len(parts))
    for part in parts:
        part.pages = _pages(part.pdf)
    contents = _contents(application, parts, offset=1)
    contents_pages = _pages(contents)
    if contents_pages != 1:  # a long file: its contents take more than one page
        contents = _contents(application, parts, offset=contents_pages)
    writer = PdfWriter()
    for pdf in (contents, *(part.pdf for part in parts)):
        writer.append(PdfReader(io.BytesIO(pdf)))
    numbers = _numbers(application, len(writer.pages))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
    out = io.BytesIO()
    writer.write(out)
    if progress:
        progress(len(parts) + 1)
    return out.getvalue()


# The background job -----------------------------------------------------------------------------------


def may_archive(user: Any, application: Application) -> bool:
    """The town's staff who print the case's forms and read every kind of its documents, once it is filed
    (village staff, who see no health document, print no archive)."""
    return (
        application.stage == Stage.FILED
        and bool(scope_of(user).roles & HEALTH_READ_ROLES)
        and may(user, "print", application)
    )


def archive_job_run(*, job_id: int) -> ArchiveJob:
    """Builds the job's archive. Safe to run twice: a finished job is left alone; one interrupted half-way
    is built again from the start."""
    job = ArchiveJob.objects.select_related("owner", "application").get(pk=job_id)
    if job.status == ArchiveStatus.DONE:
        return job
    application = job.application
    if not may_archive(job.owner, application):
        ArchiveJob.objects.filter(pk=job.pk).update(
            status=ArchiveStatus.FAILED, error="您已不能生成这个案件的电子档案。", finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    total = archive_steps(application)
    ArchiveJob.objects.filter(pk=job.pk).update(status=ArchiveStatus.RUNNING, total=total, done=0)

    def progress(n: int) -> None:
        ArchiveJob.objects.filter(pk=job.pk).update(done=n)

    try:
        content = archive_pdf(application, full_ids=job.full_ids, progress=progress)
    except Exception:
        logger.exception("archive job %s failed", job.pk)
        ArchiveJob.objects.filter(pk=job.pk).update(
            status=ArchiveStatus.FAILED,
            error="生成失败：有材料无法读取或排版，请联系系统管理员。",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    job.file.save("archive", ContentFile(content), save=False)
    ArchiveJob.objects.filter(pk=job.pk).update(
        file=job.file.name, status=ArchiveStatus.DONE, done=total, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def owned_archive(*, user: Any, pk: int) -> ArchiveJob | None:
    """The job if this user asked for it; None for anyone else (a 404, as for a job that does not exist)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ArchiveJob.objects.filter(pk=pk, owner=user).select_related("application").first()
