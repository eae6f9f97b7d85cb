"""The clerk's side (issue 20 points 2, 5 and 6): an online application beside the stored household it may
join; accepting it runs the ordinary intake, prefilled; an enrolled household's request opens an adjustment;
spam leaves the inbox and is deleted after 30 days; the family is told by short message."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from applications.glossary import Channel, Kind, Stage, Trigger
from applications.models import Application
from evidence.models import Document
from households.models import Household, Member
from online.codes import Status
from online.models import OnlineApplication, OnlineDocument, TextMessage
from online.retention import online_spam_purge
from online.sms import MemoryBackend
from online.tasks import deliver_text_message
from tests.applications.cases import accept, advance
from tests.online.forms import APPLICANT_ID, apply_form, photo
from tests.online.pages import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    MemoryBackend.outbox.clear()
    yield
    cache.clear()


def _applied(client, world, **fields) -> OnlineApplication:
    response = client.post(
        reverse("online:apply"), {**apply_form(world.village_a1, **fields), "doc_id_card": photo()}
    )
    assert response.status_code == 302
    client.get(response["Location"])
    return OnlineApplication.objects.latest("pk")


def test_accepting_a_new_family_runs_the_intake_prefilled(client, world):
    online = _applied(client, world)
    client.force_login(world.users["town_clerk"])
    detail = client.get(reverse("online:detail", args=[online.pk])).content.decode()
    assert "没有找到本镇已登记的家庭成员" in detail
    assert "登记为新家庭并受理" in detail
    assert "自助测算参考" in detail
    page = client.get(reverse("online:accept", args=[online.pk])).content.decode()
    values = form_values(
        page, 1, **{"h-address": "东湖村三组12号", "i-materials": ["hukou_book", "id_cards"]}
    )
    assert values["m-0-name"] == "柯秋生"
    assert values["m-0-id_number"] == APPLICANT_ID
    assert values["m-1-relation"] == "spouse"
    assert values["i-situation"].startswith("老伴患病住院")
    response = client.post(reverse("online:accept", args=[online.pk]), values)
    assert response.status_code == 302, response.content.decode()[:4000]
    case = Application.objects.get()
    assert response["Location"] == reverse("applications:detail", args=[case.pk])
    assert case.channel == Channel.ONLINE
    assert case.stage == Stage.ACCEPTED
    assert case.applicant.name == "柯秋生"
    assert case.household.village == world.village_a1
    assert sorted(case.household.members.values_list("name", flat=True)) == ["柯秋生", "王桂兰"]
    assert Document.objects.filter(application=case, kind="id_card").count() == 1
    assert "id_cards" in case.materials_received
    assert OnlineDocument.objects.count() == 0  # moved into the case, its own copy removed
    online.refresh_from_db()
    assert online.status == Status.ACCEPTED
    assert online.application == case
    assert "待受理的线上申请" not in client.get(reverse("applications:workbench")).content.decode()
    case_page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    origin = case_page.split('id="online-origin"')[1].split("</section>")[0]
    assert f"来自线上申请 {online.number}" in origin
    assert "未经核实" in origin
    assert "3600.00" in origin
    message = TextMessage.objects.get()
    assert message.phone == "13907140001"
    assert f"编号{online.number}）已受理" in message.text
    deliver_text_message(message.pk)
    assert MemoryBackend.outbox == [(message.phone, message.text)]
    message.refresh_from_db()
    assert message.sent_at is not None
    assert deliver_text_message(message.pk) is False  # sent once


def test_a_stored_household_is_joined_only_when_the_clerk_accepts(client, world):
    household = world.household_a1
    head = _the_applicant_is_registered(household)
    online = _applied(client, world, phone="13900000001")
    household.refresh_from_db()
    phone_before = household.phone
    client.force_login(world.users["town_clerk"])
    detail = client.get(reverse("online:detail", args=[online.pk])).content.decode()
    assert household.household_number in detail
    assert "并入该家庭并受理" in detail
    page = client.get(reverse("online:accept", args=[online.pk])).content.decode()
    assert "已登记的家庭成员" in page
    assert "线上填写的家庭成员" in page
    values = form_values(page, 1)
    response = client.post(reverse("online:accept", args=[online.pk]), values)
    assert response.status_code == 302, response.content.decode()[:4000]
    case = Application.objects.get()
    assert case.household == household
    assert case.applicant == head
    assert case.channel == Channel.ONLINE
    household.refresh_from_db()
    assert household.phone == phone_before
    assert household.members.count() == 1  # the typed spouse is not added: the clerk records changes
    assert not Member.objects.filter(name="王桂兰").exists()


def test_an_enrolled_households_request_becomes_an_adjustment(client, world):
    household = world.household_a1
    _the_applicant_is_registered(household)
    case = advance(world, accept(world, accepted_on=timezone.localdate() - timedelta(days=3)), Stage.FILED)
    from applications import services as case_services

    for filing in case.filings.all():
        case_services.filing_acknowledge(filing=filing, acting_user=_reviewer(world, filing.bureau))
    online = _applied(client, world)
    client.force_login(world.users["town_clerk"])
    detail = client.get(reverse("online:detail", args=[online.pk])).content.decode()
    assert "按动态调整立案" in detail
    page = client.get(reverse("online:adjust", args=[online.pk])).content.decode()
    response = client.post(reverse("online:adjust", args=[online.pk]), form_values(page, 1))
    assert response.status_code == 302, response.content.decode()[:3000]
    adjustment = Application.objects.get(kind=Kind.ADJUSTMENT)
    assert adjustment.trigger == Trigger.REQUEST
    assert adjustment.source == f"online:{online.number}"
    assert adjustment.household == household


def _the_applicant_is_registered(household):
    head = household.members.get()
    head.id_number, head.relation, head.birth_date = APPLICANT_ID, "applicant", date(1958, 3, 14)
    head.save()
    return head


def _reviewer(world, bureau):
    return world.users["civil_affairs_reviewer" if bureau == "civil_affairs" else "agri_bureau_reviewer"]


def test_a_request_of_a_household_with_a_running_case_joins_that_case(client, world):
    household = world.household_a1
    _the_applicant_is_registered(household)
    running = accept(world, accepted_on=timezone.localdate())
    online = _applied(client, world)
    client.force_login(world.users["town_clerk"])
    assert (
        f"并入正在办理的案件 {running.case_number}"
        in client.get(reverse("online:detail", args=[online.pk])).content.decode()
    )
    response = client.post(reverse("online:join", args=[online.pk]))
    assert response["Location"] == reverse("applications:detail", args=[running.pk])
    online.refresh_from_db()
    assert online.application == running
    assert Document.objects.filter(application=running, kind="id_card").count() == 1


def test_spam_leaves_the_inbox_and_is_deleted_after_30_days(client, world):
    online = _applied(client, world)
    client.force_login(world.users["town_clerk"])
    response = client.post(reverse("online:spam", args=[online.pk]))
    assert response.status_code == 302
    waiting = client.get(reverse("online:inbox")).content.decode()
    assert online.number not in waiting.split('id="online-table"')[1]
    assert online.number in client.get(reverse("online:inbox") + "?status=spam").content.decode()
    stored = OnlineDocument.objects.get()
    path = stored.file.path
    assert online_spam_purge() == 0
    assert online_spam_purge(now=timezone.now() + timedelta(days=31)) == 1
    assert not OnlineApplication.objects.exists()
    assert not OnlineDocument.objects.exists()
    import os

    assert not os.path.exists(path)
    assert Household.objects.count() == 3


def test_the_family_is_told_at_the_notice_and_the_decision(client, world):
    online = _applied(client, world)
    clerk = world.users["town_clerk"]
    client.force_login(clerk)
    page = client.get(reverse("online:accept", args=[online.pk])).content.decode()
    values = form_values(
        page, 1, **{"h-address": "东湖村三组12号", "i-materials": ["hukou_book", "id_cards"]}
    )
    client.post(reverse("online:accept", args=[online.pk]), values)
    case = Application.objects.get()
    advance(world, case, Stage.APPROVED)
    texts = list(TextMessage.objects.order_by("pk").values_list("text", flat=True))
    assert len(texts) == 3
    assert "已受理" in texts[0]
    assert "公示" in texts[1]
    assert "已有办理结果，请留意书面通知或联系还地桥镇社会事务办" in texts[2]
