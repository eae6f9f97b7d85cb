"""A warning's `reinvestigation` opens an adjustment case (DESIGN §3.6, §3.7): by the town clerk at once
(a death as the member change "death", prefilled from the shared row), asked by anyone else and then
opened by the clerk; refusals shown in Chinese with nothing half-done; the case names its warning."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from accounts.glossary import Role
from applications.models import AdjustmentMemberChange, Application
from applications.services import adjustment_open
from households.models import Enrollment, Member
from monitoring.models import Warning, WarningEvent
from tests.factories import MemberFactory, user_with_role

from .conftest import Pool
from .test_api import session, token_client, warned

pytestmark = pytest.mark.django_db

__all__ = ["warned"]  # the fixture, used by name


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _death(pool: Pool) -> Warning:
    return Warning.objects.get(type="death", household=pool.a1)


def test_the_clerk_reinvestigates_a_death_as_the_members_death(warned: Pool) -> None:
    pool = warned
    clerk = pool.world.users["town_clerk"]
    warning = _death(pool)
    client = login(clerk)
    page = client.get(f"/monitoring/warnings/{warning.pk}/").content.decode()
    assert 'value="2026-01-02"' in page
    assert "死亡医学证明（市卫健局共享数据 2026-01 第2行）" in page
    assert "即为该家庭启动动态调整案件" in page
    posted = client.post(
        f"/monitoring/warnings/{warning.pk}/feedback/",
        {
            "action": "reinvestigation",
            "feedback": "入户核实，柯大山已去世",
            "happened_on": "2026-01-02",
            "evidence": "死亡医学证明 No.A123",
        },
    )
    assert posted.status_code == 302
    case = Application.objects.get(household=pool.a1)
    assert (case.kind, case.trigger, case.source, case.stage) == (
        "adjustment",
        "member_change",
        f"warning:{warning.pk}",
        "accepted",
    )
    change = AdjustmentMemberChange.objects.get(application=case)
    assert (change.kind, change.member_id, change.happened_on, change.evidence) == (
        "death",
        pool.member_a1.pk,
        date(2026, 1, 2),
        "死亡医学证明 No.A123",
    )
    assert not Member.objects.get(pk=pool.member_a1.pk).is_active
    warning.refresh_from_db()
    assert (warning.status, warning.action, warning.adjustment) == ("handled", "reinvestigation", case)
    shown = client.get(f"/monitoring/warnings/{warning.pk}/").content.decode()
    assert f'已启动动态调整案件 <a href="/cases/{case.pk}/">{case.case_number}</a>' in shown
    assert f"已启动动态调整案件 {case.case_number}" in shown  # the message and the timeline
    # The case names its warning, with a link for whoever may read the warning.
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'来源：<a href="/monitoring/warnings/{warning.pk}/">死亡预警（' in case_page
    # The timeline too names the warning in words, never by its stored key.
    assert "来源：死亡预警（" in case_page[case_page.index('<ol class="timeline"') :]
    assert f"warning:{warning.pk}" not in case_page
    reviewer = login(pool.world.users["civil_affairs_reviewer"]).get(f"/cases/{case.pk}/")
    assert reviewer.status_code == 200  # the bureau reads the case but not this (unescalated) warning
    text = reviewer.content.decode()
    assert "来源：死亡预警（" in text
    assert f"/monitoring/warnings/{warning.pk}/" not in text


def test_a_refusal_of_the_case_side_leaves_the_warning_as_it_was(warned: Pool) -> None:
    pool = warned
    clerk = pool.world.users["town_clerk"]
    running = adjustment_open(
        household=pool.a1, trigger="request", note="家庭申请", opened_on=date(2026, 1, 5), acting_user=clerk
    )
    warning = _death(pool)
    response = login(clerk).post(
        f"/monitoring/warnings/{warning.pk}/feedback/",
        {"action": "reinvestigation", "feedback": "核实", "happened_on": "2026-01-02", "evidence": "证明"},
    )
    assert response.status_code == 400
    assert f"该家庭已有正在办理的案件（{running.case_number}" in response.content.decode()
    warning.refresh_from_db()
    assert (warning.status, warning.action, warning.feedback, warning.adjustment) == ("open", "", "", None)
    assert not WarningEvent.objects.filter(warning=warning).exists()
    assert list(Application.objects.filter(household=pool.a1)) == [running]
    assert Member.objects.get(pk=pool.member_a1.pk).is_active


def test_the_death_of_an_applicant_with_family_is_refused_beside_its_field(warned: Pool) -> None:
    pool = warned
    MemberFactory(household=pool.a1, name="柯大嫂", relation="spouse")
    warning = _death(pool)
    response = login(pool.world.users["town_clerk"]).post(
        f"/monitoring/warnings/{warning.pk}/feedback/",
        {"action": "reinvestigation", "feedback": "核实", "happened_on": "2026-01-02", "evidence": "证明"},
    )
    assert response.status_code == 400
    assert "请先在家庭信息中另行确定申请人" in response.content.decode()
    assert not Application.objects.exists()
    assert Warning.objects.get(pk=warning.pk).status == "open"


def test_the_api_answers_the_case_number_and_refuses_a_household_not_enrolled(warned: Pool) -> None:
    pool = warned
    clerk = session(pool.world.users["town_clerk"])
    ratio = Warning.objects.get(type="assistance_below_ratio")
    answer = clerk.post(
        f"/api/v1/warnings/{ratio.pk}/feedback/",
        {"action": "reinvestigation", "feedback": "救助比例偏低，重新核定"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    case = Application.objects.get(household=pool.a1)
    assert answer.json()["adjustment"] == case.case_number
    assert answer.json()["status"] == "handled"
    assert (case.trigger, case.source) == ("warning", f"warning:{ratio.pk}")
    assert "救助比例偏低，重新核定" in case.situation
    # Town B's household, no longer enrolled: refused, nothing recorded.
    Enrollment.objects.filter(household=pool.b1).update(end_date=date(2026, 1, 1))
    clerk_b = session(user_with_role(Role.TOWN_CLERK, pool.world.town_b, "clerk_b"))
    death_b = Warning.objects.get(type="death", household=pool.b1)
    refused = clerk_b.post(
        f"/api/v1/warnings/{death_b.pk}/feedback/",
        {"action": "reinvestigation", "feedback": "核实"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "not_enrolled"
    assert "没有纳入任何救助帮扶类别" in refused.json()["message"]
    death_b.refresh_from_db()
    assert (death_b.status, death_b.action) == ("open", "")
    assert not Application.objects.filter(household=pool.b1).exists()


def test_a_department_asks_and_the_town_clerk_opens_the_case(warned: Pool) -> None:
    pool = warned
    house = Warning.objects.get(type="dangerous_house")
    answer = token_client(pool, "ZJJ").post(
        f"/api/v1/warnings/{house.pk}/feedback/",
        {"action": "reinvestigation", "feedback": "危房D级，建议重新调查"},
        format="json",
    )
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["adjustment"]) == ("handled", None)
    assert not Application.objects.exists()
    url = f"/monitoring/warnings/{house.pk}/"
    # Town B's agricultural office sees the request but may not open the case.
    officer = login(user_with_role(Role.TOWN_AGRI_OFFICER, pool.world.town_b, "agri_b"))
    page = officer.get(url).content.decode()
    assert "待镇社会事务办启动动态调整" in page
    assert ">启动动态调整</button>" not in page
    assert officer.post(f"{url}adjust/", {"note": "x"}).status_code == 403
    # Town A's clerk does not even see it.
    assert login(pool.world.users["town_clerk"]).get(url).status_code == 404
    clerk_b = login(user_with_role(Role.TOWN_CLERK, pool.world.town_b, "clerk_b"))
    assert ">启动动态调整</button>" in clerk_b.get(url).content.decode()
    # Closing without a case needs a reason.
    closed = clerk_b.post(f"{url}close/", {"note": ""}, follow=True).content.decode()
    assert "尚未启动动态调整案件" in closed
    assert Warning.objects.get(pk=house.pk).status == "handled"
    empty = clerk_b.post(f"{url}adjust/", {"note": ""})
    assert empty.status_code == 400
    assert "这个字段是必填项" in empty.content.decode() or "必填" in empty.content.decode()
    opened = clerk_b.post(f"{url}adjust/", {"note": "住房鉴定为D级，重新核定"}, follow=True)
    case = Application.objects.get(household=pool.b1)
    assert (case.trigger, case.source) == ("warning", f"warning:{house.pk}")
    assert f"已启动动态调整案件 {case.case_number}" in opened.content.decode()
    house.refresh_from_db()
    assert house.adjustment == case
    # Once, not twice.
    again = clerk_b.post(f"{url}adjust/", {"note": "再来"}, follow=True).content.decode()
    assert "已经启动了动态调整案件" in again or ">启动动态调整</button>" not in again
    assert Application.objects.filter(household=pool.b1).count() == 1
    assert clerk_b.post(f"{url}close/", {"note": ""}).status_code == 302
    assert Warning.objects.get(pk=house.pk).status == "closed"


def test_the_warnings_events_keep_their_facts_as_data(warned: Pool) -> None:
    """Issue 18.3: the warning's timeline is written from each event's kind and payload; the action, the
    feedback and the case it opened are data, and the case's event names the member change and source."""
    pool = warned
    warning = _death(pool)
    client = login(pool.world.users["town_clerk"])
    client.post(
        f"/monitoring/warnings/{warning.pk}/feedback/",
        {
            "action": "reinvestigation",
            "feedback": "入户核实，柯大山已去世",
            "happened_on": "2026-01-02",
            "evidence": "死亡医学证明 No.A123",
        },
    )
    case = Application.objects.get(household=pool.a1)
    kinds = list(WarningEvent.objects.filter(warning=warning).values_list("kind", "payload"))
    assert kinds == [
        ("acknowledge", {}),
        (
            "feedback",
            {
                "action": "reinvestigation",
                "feedback": "入户核实，柯大山已去世",
                "case_number": case.case_number,
            },
        ),
    ]
    feedback = WarningEvent.objects.get(warning=warning, kind="feedback")
    assert feedback.sentence == f"入户核实，柯大山已去世（已启动动态调整案件 {case.case_number}）"
    opened = case.events.get(kind="open_adjustment").payload
    assert opened["trigger"] == "member_change"
    assert opened["source"] == f"warning:{warning.pk}"
    assert opened["source_label"].startswith("死亡预警（")
    assert opened["member_change"] == {
        "member": pool.member_a1.pk,
        "member_name": pool.member_a1.name,
        "kind": "death",
        "happened_on": "2026-01-02",
        "evidence": "死亡医学证明 No.A123",
    }
    page = client.get(f"/monitoring/warnings/{warning.pk}/").content.decode()
    assert f"— 入户核实，柯大山已去世（已启动动态调整案件 {case.case_number}）" in page
