"""The documents API (issue 19.7): 201 with the stored facts, 400 with the file's code, 404 outside scope."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.test import APIClient

from evidence.models import Document
from tests.applications.cases import accept

from . import files

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_case_document_is_added_listed_and_downloaded(world) -> None:
    case = accept(world)
    client = api(world.users["town_clerk"])
    member = world.household_a1.members.get(relation="applicant")
    answer = client.post(
        f"/api/v1/applications/{case.pk}/documents/",
        {"file": files.pdf(), "kind": "income_proof", "member": member.pk, "note": "2026年收入"},
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    stored = Document.objects.get()
    assert body["id"] == stored.pk
    assert (body["kind"], body["member"], body["content_type"]) == (
        "income_proof",
        member.pk,
        "application/pdf",
    )
    assert body["sha256"] == stored.sha256
    assert body["size"] == stored.size
    assert [d["id"] for d in client.get(f"/api/v1/applications/{case.pk}/documents/").json()] == [stored.pk]
    assert [d["id"] for d in client.get(f"/api/v1/households/{world.household_a1.pk}/documents/").json()] == [
        stored.pk
    ]
    download = client.get(f"/api/v1/documents/{stored.pk}/file/")
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == stored.sha256


@pytest.mark.parametrize(
    ("upload", "code"),
    [(files.script_as_jpg, "bad_file_type"), (lambda: files.pdf(javascript=True), "unsafe_pdf")],
)
def test_a_refused_file_answers_400_with_its_code(world, upload, code) -> None:  # type: ignore[no-untyped-def]
    answer = api(world.users["town_clerk"]).post(
        f"/api/v1/households/{world.household_a1.pk}/documents/",
        {"file": upload(), "kind": "hukou"},
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == code
    assert answer.json()["field"] == "file"
    assert answer.json()["message"]
    assert not Document.objects.exists()


def test_out_of_scope_is_404_and_a_reader_may_not_add(world) -> None:
    case = accept(world)
    clerk = api(world.users["town_clerk"])
    clerk.post(
        f"/api/v1/applications/{case.pk}/documents/",
        {"file": files.png(), "kind": "hukou"},
        format="multipart",
    )
    stored = Document.objects.get()
    outsider = api(world.users["department_user"])
    assert outsider.get(f"/api/v1/documents/{stored.pk}/file/").status_code == 404
    assert outsider.get(f"/api/v1/applications/{case.pk}/documents/").status_code == 404
    bureau = api(world.users["civil_affairs_reviewer"])
    assert bureau.get(f"/api/v1/documents/{stored.pk}/file/").status_code == 200
    refused = bureau.post(
        f"/api/v1/households/{world.household_a1.pk}/documents/",
        {"file": files.png(), "kind": "hukou"},
        format="multipart",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert APIClient().get(f"/api/v1/documents/{stored.pk}/file/").status_code in (401, 403)
