"""The case rules of DESIGN §3.4 that real use found broken (issue 8, points 1–5): who accepts, one
application per household, who may apply, withdrawal, the deadline stopping at the decision, and an
approval that departs from the engine."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from applications import services
from applications.glossary import Stage
from applications.models import Filing
from daye_relief.errors import InvalidInput
from households.models import Enrollment, Income

from ..factories import HouseholdFactory, MemberFactory, valid_id
from .cases import accept, advance, intake, staff, submit

pytestmark = pytest.mark.django_db


# 1. 受理 is the town's ------------------------------------------------------------------------------


def test_a_village_forwards_and_the_town_accepts_deadlines_count_from_acceptance(world):
    forwarded = submit(world, submitted_on=date(2025, 9, 22))
    assert forwarded.stage == Stage.SUBMITTED
    assert (forwarded.accepted_on, forwarded.investigation_due, forwarded.overall_due) == (None, None, None)
    assert forwarded.deadlines()["overall"] is None
    accepted = services.application_accept_submitted(
        application=forwarded,
        procedure="commitment",
        accepted_on=date(2025, 9, 28),
        acting_user=world.users["town_clerk"],
    )
    assert accepted.stage == Stage.ACCEPTED
    # From acceptance (28 Sep), not from the forwarding (22 Sep).
    assert (accepted.investigation_due, accepted.overall_due) == (date(2025, 10, 11), date(2025, 10, 17))
    kinds = list(accepted.events.values_list("kind", "from_stage", "to_stage"))
    assert kinds == [("submit", "", "submitted"), ("accept", "submitted", "accepted")]


def test_the_village_page_forwards_never_accepts(client, world):
    client.force_login(world.users["village_staff"])
    url = reverse("applications:intake", args=[world.household_a1.pk])
    page = client.get(url).content.decode()
    assert "转报镇受理" in page
    assert 'name="accepted_on"' not in page
    member = world.household_a1.members.get()
    response = client.post(
        url,
        {
            "applicant": member.pk,
            "channel": "village",
            "procedure": "commitment",
            "proxy": "none",
            "situation": "老人独居，收入低。",
            "materials": ["hukou_book", "id_cards"],
            "materials_given_on": "2025-09-26",
            "commitment_signed_on": "2025-09-26",
            "submitted_on": "2025-09-26",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "已转报镇社会事务办" in text
    application = world.household_a1.applications.get()
    assert application.stage == Stage.SUBMITTED
    assert application.accepted_by is None
    # The village sees no 受理 button; the clerk does, as the highlighted next step, and the inbox shows it.
    accept_url = reverse("applications:step", args=[application.pk, "accept"])
    assert (
        accept_url not in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )
    assert client.get(accept_url).status_code == 403
    client.force_login(world.users["town_clerk"])
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert f'<a class="button primary" href="{accept_url}">受理</a>' in detail
    workbench = client.get(reverse("applications:workbench")).content.decode()
    assert "待受理（村(居)委会转报、线上申请）" in workbench
    assert application.case_number in workbench


@pytest.mark.parametrize("step", ["withdraw", "return_for_reinvestigation", "accept"])
def test_village_staff_cannot_withdraw_accept_or_take_back_a_case_page_or_api(client, world, step):
    application = advance(world, accept(world), Stage.DELIBERATING) if step != "accept" else submit(world)
    client.force_login(world.users["village_staff"])
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert reverse("applications:step", args=[application.pk, step]) not in page
    assert client.get(reverse("applications:step", args=[application.pk, step])).status_code == 403
    response = client.post(
        f"/api/v1/applications/{application.pk}/transitions/{step}/",
        {"reason": "随便", "requested_on": "2025-09-28"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    before = application.stage
    application.refresh_from_db()
    assert application.stage == before


# 2. One application per household ------------------------------------------------------------------


def test_a_submitted_case_counts_as_open(world):
    submit(world)
    with pytest.raises(InvalidInput) as excinfo:
        accept(world)
    assert "已有正在办理的申请" in excinfo.value.errors["household"][0]


def test_an_enrolled_household_gets_no_second_application(world):
    Enrollment.objects.create(household=world.household_a1, category="dibao", start_date=date(2025, 1, 1))
    with pytest.raises(InvalidInput) as excinfo:
        accept(world)
    assert excinfo.value.errors["household"] == [
        "该家庭已纳入低保，不能重复申请。家庭情况发生变化的，应通过动态调整办理。"
    ]
    assert not world.household_a1.applications.exists()


def test_a_filed_case_awaiting_acknowledgement_still_blocks(world):
    advance(world, accept(world), Stage.FILED)
    with pytest.raises(InvalidInput):
        accept(world)


def test_the_wizard_says_so_at_its_first_step_with_a_link_to_the_open_case(client, world):
    application = accept(world)
    other = HouseholdFactory(village=world.village_a1, household_number="420281104201-0002")
    MemberFactory(household=other, name="柯二山")
    Enrollment.objects.create(household=other, category="tekun", start_date=date(2025, 1, 1))
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:intake_start"), {"q": "柯"}).content.decode()
    assert "已有正在办理的申请，不能重复申请。" in page
    assert reverse("applications:detail", args=[application.pk]) in page
    assert "已纳入特困，不能重复申请。家庭情况发生变化的，应通过动态调整办理。" in page
    assert reverse("applications:intake", args=[world.household_a1.pk]) not in page
    assert reverse("applications:intake", args=[other.pk]) not in page
    # Going to step 2 directly lands on the open case with the reason.
    response = client.get(reverse("applications:intake", args=[world.household_a1.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:detail", args=[application.pk])
    assert "不能重复申请" in response.content.decode()


# 3. Who may apply; withdrawal ----------------------------------------------------------------------


def test_the_applicant_must_be_a_counted_member(world):
    household = world.household_a1
    brother = MemberFactory(
        household=household,
        name="柯远山",
        relation="sibling",
        birth_date=date(1965, 1, 1),
        id_number=valid_id(date(1965, 1, 1)),
        lives_together=False,
        shares_finances=False,
    )
    with pytest.raises(InvalidInput) as excinfo:
        services.application_accept(
            intake=intake(household, applicant=brother, accepted_on=date(2025, 9, 28)),
            acting_user=world.users["town_clerk"],
        )
    assert excinfo.value.errors["applicant"] == [
        "柯远山不属于共同生活的家庭成员，不能作为申请人；申请人须是计入的共同生活家庭成员。"
    ]


def test_proxy_only_when_no_member_has_full_civil_capacity(world):
    household = world.household_a1
    with pytest.raises(InvalidInput) as excinfo:
        services.application_accept(
            intake=intake(
                household, proxy="village_committee", proxy_reason="老人年迈", accepted_on=date(2025, 9, 28)
            ),
            acting_user=world.users["town_clerk"],
        )
    assert excinfo.value.errors["proxy"] == [
        "家中柯大山具备完全民事行为能力，应由本人申请；只有家中无完全民事行为能力人时才能代为申请。"
    ]
    household.members.update(full_civil_capacity=False)
    application = services.application_accept(
        intake=intake(
            household,
            proxy="village_committee",
            proxy_reason="家中无完全民事行为能力人",
            accepted_on=date(2025, 9, 28),
        ),
        acting_user=world.users["town_clerk"],
    )
    assert application.proxy == "village_committee"


def test_a_withdrawal_records_the_written_request_and_never_follows_the_decision(client, world):
    application = accept(world)
    client.force_login(world.users["town_clerk"])
    url = reverse("applications:step", args=[application.pk, "withdraw"])
    page = client.get(url).content.decode()
    assert "申请人书面申请撤回的日期" in page
    client.post(url, {"requested_on": "2025-09-29", "reason": "家庭收入已好转，申请人书面申请撤回。"})
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    assert application.withdrawal_requested_on == date(2025, 9, 29)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "申请人 2025-09-29 书面申请撤回：家庭收入已好转" in detail
    approved = advance(world, accept(world, household=world.household_a2), Stage.APPROVED)
    assert (
        reverse("applications:step", args=[approved.pk, "withdraw"])
        not in client.get(reverse("applications:detail", args=[approved.pk])).content.decode()
    )
    response = client.post(
        f"/api/v1/applications/{approved.pk}/transitions/withdraw/",
        {"requested_on": "2025-09-29", "reason": "申请人书面撤回"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


# 4. The deadline stops at the decision -------------------------------------------------------------


def test_an_approved_case_waiting_for_filing_is_not_overdue(client, world):
    application = advance(world, accept(world, accepted_on=date(2025, 9, 28)), Stage.DELIBERATING)
    services.deadline_flags_refresh(today=date(2026, 1, 5))
    application.refresh_from_db()
    assert application.deadline_flag == "overdue"
    approved = advance(world, application, Stage.APPROVED)
    assert approved.deadline_flag == ""  # cleared at the decision
    services.deadline_flags_refresh(today=date(2026, 1, 5))
    approved.refresh_from_db()
    assert approved.deadline_flag == ""
    client.force_login(world.users["town_clerk"])
    body = client.get(f"/api/v1/applications/{approved.pk}/").json()
    assert (body["deadlines_running"], body["overdue"], body["deadline_flag"]) == (False, False, "")
    assert body["deadlines"]["overall"] == {"date": "2025-10-17", "provisional": False}
    page = client.get(reverse("applications:workbench")).content.decode()
    assert '<h2 class="danger">已逾期</h2>' not in page
    assert "2025-09-28 已作出决定" in page


# 5. An approval departing from the engine ------------------------------------------------------------


def _rich_household(world):
    applicant = world.household_a1.members.get()
    Income.objects.create(member=applicant, kind="wages", annual_amount=Decimal("200000.00"))
    return accept(world)


def _decide(world, application, *, departure_reason=""):
    users = staff(world)
    return services.application_decide(
        application=application,
        held_on=application.notice_closed_on,
        attendees=[users["task_force"], users["task_force_2"], users["task_force_3"]],
        attendees_note="",
        decisions=[services.Decision("dibao", True, "家中有重病人。")],
        reason="同意纳入低保。",
        departure_reason=departure_reason,
        approved_by=users["task_force"],
        acting_user=users["task_force"],
    )


def test_an_approval_the_engine_did_not_find_needs_a_written_reason_and_is_flagged(client, world):
    application = advance(world, _rich_household(world), Stage.DELIBERATING)
    assert "dibao" not in application.assessment.result["categories"]
    with pytest.raises(InvalidInput) as excinfo:
        _decide(world, application)
    assert excinfo.value.errors["departure_reason"] == [
        "研判结果与系统测算不一致（纳入了系统测算未认定的低保），请写明理由。"
    ]
    _decide(world, application, departure_reason="家中有重病人，医疗支出巨大，经集体研判纳入。")
    filed = services.application_file(
        application=application, filed_on=application.notice_closed_on, acting_user=world.users["town_clerk"]
    )
    filing = Filing.objects.get(application=filed, bureau="civil_affairs")
    assert (
        filing.departure_note
        == "纳入了系统测算未认定的低保。理由：家中有重病人，医疗支出巨大，经集体研判纳入。"
    )
    client.force_login(world.users["civil_affairs_reviewer"])
    queue = client.get(reverse("applications:filings", args=["civil_affairs"])).content.decode()
    assert "与系统测算不一致" in queue
    assert "纳入了系统测算未认定的低保" in queue
    detail = client.get(reverse("applications:detail", args=[filed.pk])).content.decode()
    assert "与系统测算不一致" in detail


def test_the_decide_page_puts_the_missing_reason_beside_its_field(client, world):
    application = advance(world, _rich_household(world), Stage.DELIBERATING)
    users = staff(world)
    client.force_login(users["task_force"])
    url = reverse("applications:step", args=[application.pk, "decide"])
    form = client.get(url).context["form"]
    data = {
        "held_on": application.notice_closed_on.isoformat(),
        "attendees": [users["task_force"].pk, users["task_force_2"].pk, users["task_force_3"].pk],
        "reason": "同意纳入。",
    }
    for proposal in form.proposals:
        data[f"decision_{proposal['key']}"] = "yes" if proposal["category"] == "dibao" else "no"
        data[f"reason_{proposal['key']}"] = "理由"
    page = client.post(url, data).content.decode()
    assert "研判结果与系统测算不一致（纳入了系统测算未认定的低保），请写明理由。" in page
    application.refresh_from_db()
    assert application.stage == Stage.DELIBERATING
