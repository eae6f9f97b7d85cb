"""The electronic archive of a filed case (issue 19.6): a contents page, the forms, then every document in
the checklist's order; the contents' SHA-256 values are the stored files'; every page numbered."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from applications import services
from applications.glossary import Stage
from applications.models import Application
from evidence.archive import archive_documents, archive_job_run, archive_pdf, archive_steps
from evidence.models import ArchiveJob
from evidence.services import document_upload
from publicity import services as notices
from publicity.models import Notice
from tests.applications.cases import accept, advance, receive

from . import files

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_archive_lists_each_document_with_the_stored_files_digest_and_numbers_every_page(world) -> None:
    clerk, village = world.users["town_clerk"], world.users["village_staff"]
    case = accept(world, accepted_on=timezone.localdate())  # the notice closes today
    receive(case, "hukou", acting_user=clerk)
    document_upload(
        household=world.household_a1,
        application=case,
        kind="id_card",
        source=files.jpeg(name="身份证.jpg"),
        name="身份证.jpg",
        member=world.household_a1.members.get(relation="applicant"),
        acting_user=clerk,
    )
    # The village posts the notice and closes it, as in the real flow, so that the archive holds it.
    case = services.notice_send(application=advance(world, case, "investigated"), acting_user=clerk)
    notice = notices.notice_create(village=world.village_a1, applications=[case], acting_user=village)
    posted = notices.notice_post(notice=notice, acting_user=village)
    Notice.objects.filter(pk=notice.pk).update(closes_on=posted.posted_on)  # the window run in full
    notices.notice_close(notice=Notice.objects.get(pk=notice.pk), acting_user=village)
    case = advance(world, Application.objects.get(pk=case.pk), Stage.FILED)
    documents = archive_documents(case)
    # The checklist's order: 户口簿, then the ID cards (the list's order), then the commitment.
    assert [d.kind for d in documents] == ["hukou", "id_card", "commitment_signed"]
    seen: list[int] = []
    pdf = archive_pdf(case, full_ids=True, progress=seen.append)
    assert seen == list(range(1, archive_steps(case) + 1))
    pages = _text(pdf)
    contents = pages[0].replace("\n", "")  # a cell's text wraps onto lines of its own
    assert "救助帮扶案件电子档案 · 目录" in contents
    assert case.case_number in contents
    for document in documents:
        with document.file.open("rb") as stored:
            digest = hashlib.sha256(stored.read()).hexdigest()
        assert digest == document.sha256
        assert digest in contents
    for title in (
        "救助帮扶申请书（申请表）",
        "入户调查表",
        "村(居)公示",
        "集体研判记录",
        "审批通知书",
        "备案表",
    ):
        assert title in contents
    total = len(pages)
    assert f"档案第 1 页 共 {total} 页" in pages[0]
    assert f"档案第 {total} 页 共 {total} 页" in pages[-1]
    assert "户口簿" in contents


def test_the_archive_is_asked_for_on_the_case_page_and_only_its_owner_downloads_it(world) -> None:
    case = advance(world, accept(world), Stage.FILED)
    clerk = Client()
    clerk.force_login(world.users["town_clerk"])
    page = clerk.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/documents/cases/{case.pk}/archive/"' in page
    assert "生成电子档案（PDF）" in page
    answer = clerk.post(f"/documents/cases/{case.pk}/archive/")
    job = ArchiveJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/documents/archives/{job.pk}/"
    waiting = clerk.get(f"/documents/archives/{job.pk}/").content.decode()
    assert "排队中" in waiting
    assert 'http-equiv="refresh"' in waiting
    assert clerk.get(f"/documents/archives/{job.pk}/file/").status_code == 404  # not built yet
    archive_job_run(job_id=job.pk)  # what the worker does (tests/jobs runs it on a real worker)
    ready = clerk.get(f"/documents/archives/{job.pk}/").content.decode()
    assert "已完成" in ready
    assert 'http-equiv="refresh"' not in ready
    assert f'href="/documents/archives/{job.pk}/file/"' in ready
    download = clerk.get(f"/documents/archives/{job.pk}/file/")
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert case.case_number in _text(body)[0]
    # Nobody else reads the job or its file; village staff print forms but ask for no archive.
    for other in (world.users["task_force"], world.users["village_staff"]):
        client = Client()
        client.force_login(other)
        assert client.get(f"/documents/archives/{job.pk}/").status_code == 404
        assert client.get(f"/documents/archives/{job.pk}/file/").status_code == 404
    village = Client()
    village.force_login(world.users["village_staff"])
    assert "生成电子档案" not in village.get(f"/cases/{case.pk}/").content.decode()
    refused = village.post(f"/documents/cases/{case.pk}/archive/", follow=True)
    assert "只有案件所在镇的工作人员可以在案件备案后生成电子档案。" in refused.content.decode()
    assert ArchiveJob.objects.count() == 1


def test_no_archive_before_the_case_is_filed(world) -> None:
    case = advance(world, accept(world), Stage.APPROVED)
    clerk = Client()
    clerk.force_login(world.users["town_clerk"])
    assert "生成电子档案" not in clerk.get(f"/cases/{case.pk}/").content.decode()
    refused = clerk.post(f"/documents/cases/{case.pk}/archive/", follow=True)
    assert "只有案件所在镇的工作人员可以在案件备案后生成电子档案。" in refused.content.decode()
