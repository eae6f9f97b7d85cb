"""The one-time materials list is the case's checklist (DESIGN §3.11): each item received or missing, with
the documents behind it; the regular procedure goes to the review only with every required item; the
signed commitment before the investigation completes, whatever the procedure."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from applications import services
from applications.glossary import Stage
from daye_relief.errors import InvalidTransition
from evidence.services import document_upload, document_withdraw
from tests.applications.cases import accept, advance, receive, staff

from . import files

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _investigated(world, *, procedure: str, materials=("hukou_book", "id_cards", "medical_records")):  # type: ignore[no-untyped-def]
    case = accept(world, procedure=procedure)
    case.materials = list(materials)
    case.save(update_fields=["materials"])
    return advance(world, case, "investigated")


def test_a_regular_case_with_a_missing_item_cannot_go_to_the_notice_and_is_told_which(world) -> None:
    case = _investigated(world, procedure="regular")
    clerk = world.users["town_clerk"]
    client = login(clerk)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "/send_to_notice/" not in page
    assert (
        "暂不能“转村(居)公示”：常规程序下，材料清单中的户口簿、家庭成员身份证尚未收到，案件不能转集体研判。"
        in page
    )
    answer = client.post(f"/cases/{case.pk}/send_to_notice/", follow=True)
    assert "户口簿、家庭成员身份证尚未收到" in answer.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATING
    with pytest.raises(InvalidTransition, match="户口簿、家庭成员身份证"):
        services.notice_send(application=case, acting_user=clerk)

    # The 户口簿 on the case and an ID card kept on the household itself: the list is complete (the
    # medical records are "如有": never required).
    receive(case, "hukou", acting_user=clerk)
    document_upload(
        household=world.household_a1,
        kind="id_card",
        source=files.jpeg(),
        name="身份证.jpg",
        acting_user=clerk,
    )
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "暂不能" not in page
    assert "未收到（非必需）" in page
    assert page.count('<span class="tag ok">已收到</span>') == 3  # 户口簿, ID cards, the commitment
    moved = services.notice_send(application=case, acting_user=clerk)
    assert moved.stage == Stage.PUBLICIZING


def test_a_commitment_case_goes_on_with_items_missing_and_the_review_page_lists_them(world) -> None:
    case = _investigated(world, procedure="commitment")
    clerk = world.users["town_clerk"]
    page = login(clerk).get(f"/cases/{case.pk}/").content.decode()
    assert "尚未收到：户口簿、家庭成员身份证。告知承诺制下可先行办理" in page
    case = services.notice_send(application=case, acting_user=clerk)
    case = services.notice_close(application=case, closed_on=case.accepted_on, acting_user=clerk)
    assert case.stage == Stage.DELIBERATING
    review = login(staff(world)["task_force"]).get(f"/cases/{case.pk}/decide/").content.decode()
    assert 'id="materials-missing"' in review
    assert "材料清单中尚未收到：</strong>户口簿、家庭成员身份证。" in review
    assert "病历" not in review.split('id="materials-missing"')[1].split("</div>")[0]


def test_the_signed_commitment_comes_before_the_investigation_completes(world) -> None:
    clerk, agri = world.users["town_clerk"], world.users["town_agri_officer"]
    case = advance(world, accept(world, procedure="regular"), Stage.INVESTIGATING)
    case = services.investigation_record_check(
        application=case, reference="HC-2", result="无异常", result_on=case.accepted_on, acting_user=agri
    )

    def complete():  # type: ignore[no-untyped-def]
        return services.investigation_complete(
            application=case,
            methods=["home_visit"],
            video_reason="",
            findings="属实",
            completed_on=case.accepted_on,
            acting_user=clerk,
        )

    with pytest.raises(InvalidTransition, match="请先在“案件材料”中上传申请人签字的真实性书面承诺书"):
        complete()
    # A commitment withdrawn is no commitment.
    receive(case, "commitment_signed", acting_user=clerk)
    commitment = case.documents.get(kind="commitment_signed")
    document_withdraw(document=commitment, reason="签字页不清晰", acting_user=clerk)
    case.refresh_from_db()
    assert "commitment_letter" not in case.materials_received
    with pytest.raises(InvalidTransition, match="真实性书面承诺书"):
        complete()
    receive(case, "commitment_signed", acting_user=clerk)
    assert complete().investigation.completed_on == case.accepted_on


def test_a_document_withdrawn_during_the_notice_holds_a_regular_case_back_from_the_review(world) -> None:
    clerk = world.users["town_clerk"]
    case = _investigated(world, procedure="regular", materials=("hukou_book",))
    receive(case, "hukou", acting_user=clerk)
    case = services.notice_send(application=case, acting_user=clerk)
    document_withdraw(document=case.documents.get(kind="hukou"), reason="传错了家庭", acting_user=clerk)
    case.refresh_from_db()
    with pytest.raises(InvalidTransition, match="户口簿尚未收到"):
        services.notice_close(application=case, closed_on=case.accepted_on, acting_user=clerk)


def test_an_other_document_answers_the_item_it_names_and_the_checklist_links_it(world) -> None:
    clerk = world.users["town_clerk"]
    case = _investigated(world, procedure="regular", materials=("application_form", "authorization"))
    client = login(clerk)
    answer = client.post(
        f"/documents/households/{world.household_a1.pk}/upload/",
        {
            "kind": "other",
            "material": "authorization",
            "application": case.pk,
            "file": files.pdf(name="授权书.pdf"),
            "next": f"/cases/{case.pk}/",
        },
        follow=True,
    )
    page = answer.content.decode()
    assert "已上传 1 个文件。" in page
    case.refresh_from_db()
    assert set(case.materials_received) == {"authorization", "commitment_letter"}
    document = case.documents.get(kind="other")
    checklist = page.split('class="grid checklist"')[1].split("</table>")[0]
    row = checklist.split("家庭经济状况核对授权书")[1].split("</tr>")[0]
    assert '<span class="tag ok">已收到</span>' in row
    assert f'href="#document-{document.pk}"' in row
    assert "尚未收到：救助帮扶申请书。" in page
    # A checklist item that no kind names cannot be claimed by an ID card, and an unknown item is refused.
    answer = client.post(
        f"/documents/households/{world.household_a1.pk}/upload/",
        {"kind": "other", "material": "id_cards", "application": case.pk, "file": files.pdf()},
        follow=True,
    )
    assert "请选择这份材料对应的清单项。" in answer.content.decode()
    assert case.documents.filter(kind="other").count() == 1


def test_the_api_takes_and_answers_the_checklist_item(world) -> None:
    case = accept(world, procedure="regular")
    client = APIClient()
    client.force_authenticate(world.users["town_clerk"])
    answer = client.post(
        f"/api/v1/applications/{case.pk}/documents/",
        {"kind": "other", "material": "property_statement", "file": files.pdf()},
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["material"] == "property_statement"
    answer = client.post(
        f"/api/v1/applications/{case.pk}/documents/",
        {"kind": "other", "material": "id_cards", "file": files.pdf()},
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["material"] == ["“id_cards” 不是合法选项。"]
    assert case.documents.count() == 1
