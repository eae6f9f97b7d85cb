"""The archive of a filed case is built by a real Celery worker (issue 19.6), and its page follows it."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from applications.glossary import Stage
from evidence.models import ArchiveJob

from ..applications.cases import accept, advance
from .conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_real_worker_builds_the_archive_the_clerk_asked_for(world, start_worker) -> None:
    case = advance(world, accept(world), Stage.FILED)
    start_worker()
    clerk = Client()
    clerk.force_login(world.users["town_clerk"])
    clerk.post(f"/documents/cases/{case.pk}/archive/")
    job = ArchiveJob.objects.get()
    wait_until(lambda: ArchiveJob.objects.get(pk=job.pk).status == "done", seconds=120, what="archive built")
    job.refresh_from_db()
    assert job.done == job.total
    page = clerk.get(f"/documents/archives/{job.pk}/").content.decode()
    assert "已完成" in page
    assert "100%" in page
    body = b"".join(clerk.get(f"/documents/archives/{job.pk}/file/").streaming_content)
    reader = PdfReader(io.BytesIO(body))
    assert "救助帮扶案件电子档案 · 目录" in reader.pages[0].extract_text()
    assert f"档案第 {len(reader.pages)} 页 共 {len(reader.pages)} 页" in reader.pages[-1].extract_text()
