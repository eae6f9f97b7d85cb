"""The demo's cases carry plausible documents (issue 19.8): the checklist, the thumbnails and the photos'
place can be seen in `make run`; every file passed the same checks as an upload."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from accounts.models import User
from applications.models import Application
from demo.seed import seed_demo
from evidence.archive import archive_documents, archive_pdf
from evidence.models import Document

pytestmark = pytest.mark.django_db


def test_the_demo_cases_hold_their_materials_and_photos() -> None:
    cache.clear()
    seed_demo()
    noticed = Application.objects.filter(stage="publicizing", household__village__code="420281104201")
    assert noticed.count() == 3
    case = noticed.filter(documents__kind="notice_photo").distinct().first()
    assert case is not None
    kinds = set(case.documents.values_list("kind", flat=True))
    assert kinds == {
        "other",
        "hukou",
        "id_card",
        "commitment_signed",
        "investigation_record_signed",
        "visit_photo",
        "notice_photo",
    }
    assert [item.label for item in case.checklist if not item.received] == []
    photo = case.documents.get(kind="visit_photo")
    assert photo.taken_at is not None
    assert photo.location.startswith("30.")
    assert not case.documents.get(kind="id_card").location  # an ID card keeps no place
    for document in Document.objects.filter(application=case):
        with document.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == document.sha256

    client = Client()
    client.force_login(User.objects.get(username="clerk_hdq"))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert page.count('<span class="tag ok">已收到</span>') == 4  # 申请书, 户口簿, 身份证, 承诺书
    assert '<img class="thumb"' in page
    assert f"位置 {photo.location}" in page


def test_the_demo_archive_of_a_filed_case_names_each_stored_files_digest() -> None:
    cache.clear()
    seed_demo()
    case = Application.objects.filter(stage="filed", documents__isnull=False).distinct().get()
    documents = archive_documents(case)
    # An adjustment has no checklist: its documents follow the kinds' order.
    assert [d.kind for d in documents] == [
        "investigation_record_signed",
        "review_record_signed",
        "visit_photo",
        "other",
    ]
    contents = (
        PdfReader(io.BytesIO(archive_pdf(case, full_ids=True))).pages[0].extract_text().replace("\n", "")
    )
    assert "救助帮扶案件电子档案 · 目录" in contents
    for document in documents:
        with document.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == document.sha256
        assert document.sha256 in contents
    # An `other` document is named by its checklist item and its note; an adjustment has no application
    # form or commitment of its own, and its decision is the adjustment's.
    assert "其他需要说明的材料：成员死亡证明" in contents
    assert "救助帮扶申请书" not in contents
    assert "动态调整决定通知书" in contents
    assert "户主：" in contents
