"""Documents on the household and case pages, by role and scope (DESIGN §3.11, §2)."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from evidence.models import Document
from evidence.services import document_upload
from tests.applications.cases import accept, advance

from . import files

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _stored(world, kind: str = "id_card", upload=None, **extra) -> Document:  # type: ignore[no-untyped-def]
    return document_upload(
        household=world.household_a1,
        kind=kind,
        source=upload or files.jpeg(),
        name="身份证.jpg",
        acting_user=world.users["town_clerk"],
        **extra,
    )


def test_the_clerk_uploads_several_files_to_a_case_and_reads_them(world) -> None:
    case = accept(world)
    client = login(world.users["town_clerk"])
    answer = client.post(
        f"/documents/households/{world.household_a1.pk}/upload/",
        {
            "kind": "income_proof",
            "application": case.pk,
            "note": "村委会出具",
            "file": [files.pdf(), files.jpeg(name="收入.jpg")],
            "next": f"/cases/{case.pk}/",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/cases/{case.pk}/"
    stored = list(Document.objects.filter(application=case))
    assert [d.content_type for d in stored] == ["application/pdf", "image/jpeg"]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已上传 2 个文件。" in page
    assert "案件材料" in page
    assert page.count("收入证明") >= 2
    assert "村委会出具" in page
    # The stored bytes are the ones the digest names.
    download = client.get(f"/documents/{stored[0].pk}/file/")
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == stored[0].sha256
    assert download["Content-Disposition"].startswith("attachment;")
    assert {"no-store", "private"} <= {part.strip() for part in download["Cache-Control"].split(",")}
    assert download["X-Content-Type-Options"] == "nosniff"
    shown = client.get(f"/documents/{stored[1].pk}/file/?inline=1")
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["Content-Type"] == "image/jpeg"


def test_a_refused_file_is_named_and_the_valid_ones_are_kept(world) -> None:
    client = login(world.users["town_clerk"])
    answer = client.post(
        f"/documents/households/{world.household_a1.pk}/upload/",
        {"kind": "hukou", "file": [files.script_as_jpg(), files.png()]},
        follow=True,
    )
    page = answer.content.decode()
    assert "「photo.jpg」文件类型不符" in page
    assert "已上传 1 个文件。" in page
    assert list(Document.objects.values_list("content_type", flat=True)) == ["image/png"]


def test_a_document_out_of_scope_answers_as_a_missing_one(world) -> None:
    document = _stored(world)
    illness = _stored(world, kind="illness_proof", upload=files.pdf())
    url, health_url = f"/documents/{document.pk}/file/", f"/documents/{illness.pk}/file/"
    other_town = _other_town_clerk(world)
    for user in (other_town, world.users["department_user"], world.users["administrator"]):
        assert login(user).get(url).status_code == 404
    village = login(world.users["village_staff"])  # the household's own village
    assert village.get(url).status_code == 200
    assert village.get(health_url).status_code == 404
    assert "疾病诊断证明" not in village.get(f"/households/{world.household_a1.pk}/").content.decode()
    for role in (
        "town_clerk",
        "town_agri_officer",
        "task_force",
        "civil_affairs_reviewer",
        "agri_bureau_reviewer",
    ):
        assert login(world.users[role]).get(health_url).status_code == 200, role
    missing = login(world.users["town_clerk"]).get("/documents/999999/file/")
    assert missing.status_code == 404
    stranger = login(other_town)  # nothing tells another town's document from a missing one
    assert _error(stranger.get(url)) == _error(stranger.get("/documents/999999/file/"))
    assert "没有找到这份材料，或您无权查看。" in _error(stranger.get(url))
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def _error(response) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    return page[page.index('<div class="card errorpage">') :].split("</div>", 1)[0]


def _other_town_clerk(world):  # type: ignore[no-untyped-def]
    from accounts.glossary import Role
    from tests.factories import user_with_role

    return user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")


def test_village_staff_may_not_upload_a_health_document_nor_anywhere_else(world) -> None:
    village = login(world.users["village_staff"])
    answer = village.post(
        f"/documents/households/{world.household_a1.pk}/upload/",
        {"kind": "illness_proof", "file": files.pdf()},
    )
    assert answer.status_code == 403
    elsewhere = village.post(
        f"/documents/households/{world.household_a2.pk}/upload/", {"kind": "id_card", "file": files.jpeg()}
    )
    assert elsewhere.status_code == 404
    assert not Document.objects.exists()
    page = village.get(f"/households/{world.household_a1.pk}/").content.decode()
    assert 'name="kind"' in page
    assert 'value="illness_proof"' not in page
    assert 'value="id_card"' in page


def test_a_withdrawn_document_is_kept_and_marked_and_a_decided_case_freezes_them(world) -> None:
    case = accept(world)
    document = _stored(world, application=case)
    client = login(world.users["town_clerk"])
    refused = client.post(f"/documents/{document.pk}/withdraw/", {"reason": ""}, follow=True)
    assert "请写明撤回的理由。" in refused.content.decode()
    client.post(f"/documents/{document.pk}/withdraw/", {"reason": "上传错了家庭成员"})
    document.refresh_from_db()
    assert document.is_withdrawn
    assert document.withdrawal_reason == "上传错了家庭成员"
    assert document.history.count() == 2
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已撤回" in page
    assert "上传错了家庭成员" in page
    later = _stored(world, application=case)
    advance(world, case, "approved")
    frozen = client.post(f"/documents/{later.pk}/withdraw/", {"reason": "不需要"}, follow=True)
    assert "案件已作出决定，材料不能再撤回。" in frozen.content.decode()
    later.refresh_from_db()
    assert not later.is_withdrawn
