"""Typed events (issue 18.3): each step keeps its facts as data, the timeline's sentence is written from
kind and payload, and rows from before the payload still read their note."""

from datetime import date

import pytest
from django.urls import reverse

from applications import services
from applications.glossary import EVENT_LABELS, EventKind, event_sentence
from applications.models import ApplicationEvent
from applications.workflow import STEPS

from .cases import accept, advance, staff

pytestmark = pytest.mark.django_db


def test_every_kind_a_service_writes_is_a_choice_with_a_sentence() -> None:
    assert set(STEPS) <= set(EventKind.values)
    assert dict(EventKind.choices) == EVENT_LABELS
    assert ApplicationEvent._meta.get_field("kind").choices == EventKind.choices


def test_the_case_keeps_its_facts_as_data(world) -> None:
    application = advance(world, accept(world), "filed")
    users = staff(world)
    events = {e.kind: e for e in application.events.all()}

    assert events["accept"].payload == {"procedure": "commitment", "proxy": "none"}
    team = events["start_investigation"].payload["team"]
    assert [m["id"] for m in team] == [users["town_clerk"].pk, users["town_agri_officer"].pk]
    assert events["complete_investigation"].payload == {
        "findings": "家庭情况属实。",
        "methods": ["home_visit", "neighbors"],
    }
    decided = events["approve"].payload
    assert decided["reason"] == "同意纳入。"
    assert {(c["category"], c["approved"]) for c in decided["categories"]} == {
        ("dibao", True),
        ("monitoring", True),
    }
    assert events["file"].payload == {"bureaus": ["civil_affairs", "agriculture"], "monitoring_mark": True}
    # The sentence the clerk reads is the one written from the payload, and it is the note kept with it.
    for event in events.values():
        assert event.sentence == event_sentence(event.kind, event.payload) == event.note
    assert (
        events["start_investigation"].sentence
        == f"调查组：{users['town_clerk']}、{users['town_agri_officer']}"
    )
    assert events["file"].sentence == "同时报送防返贫监测标识"


def test_an_extension_and_a_withdrawal_keep_days_dates_and_reasons(world) -> None:
    application = accept(world, accepted_on=date(2025, 9, 28))
    clerk = staff(world)["town_clerk"]
    application = services.application_extend(
        application=application, total_working_days=30, reason="需补充外省房产信息", acting_user=clerk
    )
    extension = application.events.get(kind="extend")
    assert extension.payload["total_working_days"] == 30
    assert extension.payload["reason"] == "需补充外省房产信息"
    assert extension.payload["until"] == application.extended_due.isoformat()
    assert extension.sentence == (
        f"延长至受理后30个工作日（{application.extended_due.isoformat()}）：需补充外省房产信息"
    )
    services.application_withdraw(
        application=application, requested_on=date(2025, 10, 9), reason="家庭收入已提高", acting_user=clerk
    )
    withdrawal = application.events.get(kind="withdraw")
    assert withdrawal.payload == {"requested_on": "2025-10-09", "reason": "家庭收入已提高"}
    assert withdrawal.sentence == "申请人2025-10-09书面申请撤回：家庭收入已提高"


def test_the_timeline_reads_the_payload_and_an_older_row_its_note(client, world) -> None:
    application = accept(world)
    clerk = staff(world)["town_clerk"]
    # A row written before events had a payload: only its note.
    ApplicationEvent.objects.create(
        application=application, kind="record_check", actor=clerk, note="核对结果：旧记录的说明"
    )
    # A row with a payload reads its sentence from it, whatever the note says.
    ApplicationEvent.objects.create(
        application=application,
        kind="record_check",
        actor=clerk,
        payload={"result": "未发现车辆。"},
        note="",
    )
    client.force_login(clerk)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "核对结果：旧记录的说明" in page
    assert "核对结果：未发现车辆。" in page
    assert "受理申请" in page
