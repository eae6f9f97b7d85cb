"""Reading documents, always within the reader's scope (evidence.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from applications.models import Application
from households.models import Household

from .access import document_read_filter
from .codes import DocumentKind
from .models import Document

NOT_FOUND = "没有找到这份材料，或您无权查看。"


def _readable(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(document_read_filter(user)).select_related(
        "member", "uploaded_by", "withdrawn_by", "application", "household__village"
    )


def household_documents(*, user: Any, household: Household) -> list[Document]:
    return list(_readable(user).filter(household=household))


def case_documents(*, user: Any, application: Application) -> list[Document]:
    """The case's documents and the household's own (an ID card added once serves every case)."""
    return list(
        _readable(user).filter(
            Q(application=application) | Q(application=None, household_id=application.household_id)
        )
    )


def document_get(*, user: Any, pk: Any) -> Document:
    """The document this user may read; one out of scope answers as one that does not exist."""
    document = _readable(user).filter(pk=pk).first()
    if document is None:
        raise Http404(NOT_FOUND)
    return document


def visit_documents(*, user: Any, visit: Any) -> list[Document]:
    return list(_readable(user).filter(visit=visit))


def notice_photos(*, user: Any, notice: Any) -> list[Document]:
    """The board photos of a notice: one per upload (each case keeps a copy; the first copy stands for it)."""
    photos = _readable(user).filter(
        kind=DocumentKind.NOTICE_PHOTO, withdrawn_at=None, application__notice_items__notice=notice
    )
    seen: dict[tuple[str, int], Document] = {}
    for photo in photos.order_by("uploaded_at", "pk"):
        seen.setdefault((photo.sha256, photo.uploaded_by_id), photo)
    return list(seen.values())
