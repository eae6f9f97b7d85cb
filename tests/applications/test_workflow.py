"""The case's services: guards, events, concurrency, deadlines on working days, filing and enrollment."""

import threading
from datetime import date

import pytest
from django.db import connection

from applications import services
from applications.actions import ACTIONS
from applications.glossary import Stage
from applications.models import Application, ApplicationEvent, Filing
from daye_relief.errors import InvalidInput, InvalidTransition
from households.models import Enrollment
from workdays.models import CalendarDay

from .cases import ORDER, accept, advance, receive, staff, submit

pytestmark = pytest.mark.django_db


def attempt(world, application, action):
    """Tries one action with plausible input; returns nothing, raises what the service raises."""
    users = staff(world)
    clerk = users["town_clerk"]
    day = application.accepted_on
    calls = {
        "accept": lambda: services.application_accept_submitted(
            application=application,
            procedure="commitment",
            accepted_on=day or date(2025, 9, 28),
            acting_user=clerk,
        ),
        "start_investigation": lambda: services.investigation_start(
            application=application,
            team=[clerk, users["town_agri_officer"]],
            check_requested_on=day,
            started_on=day,
            acting_user=clerk,
        ),
        "record_check": lambda: services.investigation_record_check(
            application=application, reference="x", result="无异常", result_on=day, acting_user=clerk
        ),
        "complete_investigation": lambda: services.investigation_complete(
            application=receive(application, "commitment_signed", acting_user=clerk),
            methods=["home_visit"],
            video_reason="",
            findings="属实",
            completed_on=day,
            acting_user=clerk,
        ),
        "send_to_notice": lambda: services.notice_send(application=application, acting_user=clerk),
        "send_to_review": lambda: services.review_send(application=application, acting_user=clerk),
        "close_notice": lambda: services.notice_close(
            application=application, closed_on=day, acting_user=clerk
        ),
        "return_for_reinvestigation": lambda: services.reinvestigation_return(
            application=application, reason="群众反映有车辆", acting_user=clerk
        ),
        "approve": lambda: services.application_decide(
            application=application,
            held_on=day,
            attendees=[clerk] * 3,
            attendees_note="",
            decisions=[services.Decision("dibao", True, "符合")],
            reason="同意",
            approved_by=clerk,
            acting_user=clerk,
        ),
        "reject": lambda: services.application_decide(
            application=application,
            held_on=day,
            attendees=[clerk] * 3,
            attendees_note="",
            decisions=[services.Decision("dibao", False, "不符合")],
            reason="不同意",
            approved_by=clerk,
            acting_user=clerk,
        ),
        "file": lambda: services.application_file(application=application, filed_on=day, acting_user=clerk),
        "withdraw": lambda: services.application_withdraw(
            application=application,
            requested_on=date(2025, 9, 28),
            reason="申请人书面撤回申请",
            acting_user=clerk,
        ),
        "extend": lambda: services.application_extend(
            application=application, total_working_days=30, reason="需补充核对", acting_user=clerk
        ),
    }
    calls[action]()


STAGED = [s for s in ORDER if s != "investigated"] + [Stage.REJECTED, Stage.WITHDRAWN]


def case_at(world, stage):
    if stage == Stage.SUBMITTED:
        return submit(world)
    application = accept(world)
    if stage == Stage.REJECTED:
        return advance(world, application, Stage.DELIBERATING) and _reject(world, application)
    if stage == Stage.WITHDRAWN:
        return services.application_withdraw(
            application=application,
            requested_on=date(2025, 9, 28),
            reason="申请人书面撤回",
            acting_user=world.users["town_clerk"],
        )
    return advance(world, application, stage)


def _reject(world, application):
    application.refresh_from_db()
    attempt(world, application, "reject")
    application.refresh_from_db()
    return application


# The attempts above, by the action of the table each takes (approve and reject are both `decide`).
ATTEMPTS = {
    "accept": "accept",
    "start_investigation": "start_investigation",
    "record_check": "record_check",
    "complete_investigation": "complete_investigation",
    "send_to_notice": "send_to_notice",
    "send_to_review": "send_to_review",
    "close_notice": "close_notice",
    "return_for_reinvestigation": "return_for_reinvestigation",
    "approve": "decide",
    "reject": "decide",
    "file": "file",
    "withdraw": "withdraw",
    "extend": "extend",
}


def test_the_attempts_cover_every_stage_move_of_the_table():
    moves = {code for code, action in ACTIONS.items() if code not in ("print", "resubmit_filing")}
    assert set(ATTEMPTS.values()) == moves


@pytest.mark.parametrize("stage", STAGED)
@pytest.mark.parametrize("attempted", sorted(ATTEMPTS))
def test_every_wrong_move_is_refused_and_the_stage_stays(world, stage, attempted):
    action = ATTEMPTS[attempted]
    application = case_at(world, stage)
    if stage in ACTIONS[action].from_:
        return  # the allowed moves are walked in the other tests
    events = application.events.count()
    with pytest.raises(InvalidTransition) as excinfo:
        attempt(world, application, attempted)
    assert f"案件当前处于“{Stage(stage).label}”阶段，不能“{ACTIONS[action].label}”" in str(excinfo.value)
    application.refresh_from_db()
    assert application.stage == stage
    assert application.events.count() == events


def test_the_ordinary_path_leaves_one_event_per_step(world):
    application = advance(world, accept(world), Stage.FILED)
    kinds = list(application.events.values_list("kind", "from_stage", "to_stage"))
    assert kinds == [
        ("accept", "", "accepted"),
        ("start_investigation", "accepted", "investigating"),
        ("record_check", "investigating", "investigating"),
        ("complete_investigation", "investigating", "investigating"),
        ("send_to_notice", "investigating", "publicizing"),
        ("close_notice", "publicizing", "deliberating"),
        ("approve", "deliberating", "approved"),
        ("file", "approved", "filed"),
    ]
    assert all(e.actor_id for e in application.events.all())
    assert application.assessment.result["primary_category"] is not None


def test_case_numbers_run_per_town_and_year(world):
    first = accept(world)
    second = accept(world, household=world.household_a2)
    assert first.case_number == "420281104-2025-0001"
    assert second.case_number == "420281104-2025-0002"


def test_one_open_case_per_household(world):
    accept(world)
    with pytest.raises(InvalidInput) as excinfo:
        accept(world)
    assert excinfo.value.errors["household"] == [
        "该家庭已有正在办理的申请（420281104-2025-0001，受理），不能重复申请，请在该案件中继续办理。"
    ]


def test_applicant_without_full_civil_capacity_needs_a_proxy(world):
    applicant = world.household_a1.members.get()
    applicant.full_civil_capacity = False
    applicant.save()
    with pytest.raises(InvalidInput) as excinfo:
        accept(world)
    assert excinfo.value.errors["proxy"] == [
        f"{applicant.name}不具备完全民事行为能力。家中无完全民事行为能力人的，由村(居)委会或驻村工作队代为申请。"
    ]


def test_investigation_team_needs_two_from_both_offices(world):
    application = accept(world)
    clerk = world.users["town_clerk"]
    with pytest.raises(InvalidInput) as excinfo:
        services.investigation_start(
            application=application,
            team=[clerk, world.users["task_force"]],
            check_requested_on=date(2025, 9, 28),
            started_on=date(2025, 9, 28),
            acting_user=clerk,
        )
    assert excinfo.value.errors["team"] == ["调查组至少2人，须包括本镇社会事务办和农办的工作人员。"]
    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED


def test_video_investigation_needs_a_reason(world):
    application = advance(world, accept(world), Stage.INVESTIGATING)
    services.investigation_record_check(
        application=application,
        reference="",
        result="无异常",
        result_on=date(2025, 9, 29),
        acting_user=world.users["town_clerk"],
    )
    receive(application, "commitment_signed", acting_user=world.users["town_clerk"])
    with pytest.raises(InvalidInput) as excinfo:
        services.investigation_complete(
            application=application,
            methods=["video"],
            video_reason="",
            findings="属实",
            completed_on=date(2025, 9, 29),
            acting_user=world.users["town_clerk"],
        )
    assert excinfo.value.errors["video_reason"] == ["采用视频调查的，须写明特殊情况的原因。"]


def test_deadlines_across_2025_national_day(world):
    commitment = accept(world, accepted_on=date(2025, 9, 28))
    regular = accept(world, accepted_on=date(2025, 9, 28), procedure="regular", household=world.household_a2)
    assert commitment.investigation_due == date(2025, 10, 11)  # a swapped working Saturday
    assert commitment.overall_due == date(2025, 10, 17)
    assert regular.overall_due == date(2025, 10, 31)
    assert commitment.deadlines()["investigation"] == {"date": "2025-10-11", "provisional": False}
    advanced = advance(world, commitment, Stage.DELIBERATING)
    # The notice closed on 2025-09-28 in this walk; the review is due 3 working days later.
    assert advanced.review_due == date(2025, 10, 9)


def test_deadlines_across_the_2026_spring_festival(world):
    application = accept(world, accepted_on=date(2026, 2, 11))
    assert application.investigation_due == date(2026, 2, 25)  # 14 Feb is a swapped working Saturday
    assert application.overall_due == date(2026, 3, 3)  # and so is 28 Feb
    assert not application.investigation_due_provisional


def test_a_deadline_in_2027_is_provisional_until_the_year_is_entered(world):
    application = accept(world, accepted_on=date(2026, 11, 27), procedure="regular")
    assert (application.overall_due, application.overall_due_provisional) == (date(2026, 12, 25), False)
    extended = services.application_extend(
        application=application,
        total_working_days=45,
        reason="需要补充调查",
        acting_user=world.users["town_clerk"],
    )
    # Weekdays only, less New Year's Day 2027 (statutory): the 45th working day is 1 February 2027.
    assert (extended.extended_due, extended.extended_due_provisional) == (date(2027, 2, 1), True)
    assert extended.deadlines()["extended"] == {"date": "2027-02-01", "provisional": True}


def test_an_extension_never_passes_45_working_days(world):
    application = accept(world)
    with pytest.raises(InvalidInput) as excinfo:
        services.application_extend(
            application=application, total_working_days=46, reason="x", acting_user=world.users["town_clerk"]
        )
    assert excinfo.value.errors["total_working_days"] == [
        "延长后的办理时限应多于10个工作日、不超过45个工作日。"
    ]


def test_rejection_keeps_the_reason_for_the_written_notice(world):
    application = advance(world, accept(world), Stage.DELIBERATING)
    attempt(world, application, "reject")
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    assert application.rejection_reason == "不同意"


def test_filing_splits_by_bureau_marks_the_overlap_and_enrollment_starts_at_approval(world):
    # DESIGN §3.7: the enrollment starts on the town's approval date; the bureaus' acknowledgement records
    # the filing and changes no enrollment (this test used to expect enrollment at acknowledgement).
    application = advance(world, accept(world), Stage.FILED)
    civil = Filing.objects.get(application=application, bureau="civil_affairs")
    agri = Filing.objects.get(application=application, bureau="agriculture")
    assert (civil.categories, agri.categories) == (["dibao"], ["monitoring"])
    assert civil.monitoring_overlap
    assert agri.monitoring_overlap
    enrolled = Enrollment.objects.filter(household=application.household).order_by("category")
    assert [(e.category, e.start_date, e.member_id) for e in enrolled] == [
        ("dibao", application.decided_on, None),
        ("monitoring", application.decided_on, None),
    ]
    assert enrolled[0].monthly_amount is not None
    assert enrolled[1].monthly_amount is None  # monitoring carries no cash
    services.filing_return(
        filing=civil, acting_user=world.users["civil_affairs_reviewer"], note="核对报告编号有误"
    )
    with pytest.raises(InvalidTransition) as refused:
        services.filing_acknowledge(filing=civil, acting_user=world.users["civil_affairs_reviewer"])
    assert str(refused.value) == (
        "该备案当前为“退回更正”，不能确认备案。可能已有其他人办理了这一步，请刷新页面查看最新状态。"
    )
    services.filing_resubmit(filing=civil, acting_user=world.users["town_clerk"], note="已更正编号")
    services.filing_acknowledge(filing=civil, acting_user=world.users["civil_affairs_reviewer"])
    services.filing_acknowledge(filing=agri, acting_user=world.users["agri_bureau_reviewer"])
    assert sorted(
        Enrollment.objects.filter(household=application.household).values_list("category", "start_date")
    ) == [("dibao", application.decided_on), ("monitoring", application.decided_on)]
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds[-4:] == [
        "filing_returned",
        "filing_resubmitted",
        "filing_acknowledged",
        "filing_acknowledged",
    ]


def test_objection_sends_the_case_back_and_needs_a_new_investigation_and_notice(world):
    application = advance(world, accept(world), Stage.PUBLICIZING)
    services.reinvestigation_return(
        application=application, reason="邻居反映家中有小轿车", acting_user=world.users["town_clerk"]
    )
    application.refresh_from_db()
    assert application.stage == Stage.INVESTIGATING
    with pytest.raises(InvalidTransition) as excinfo:
        services.notice_send(application=application, acting_user=world.users["town_clerk"])
    assert str(excinfo.value) == "调查尚未完成，不能转公示。"


def test_deadline_flags(world):
    overdue = accept(world, accepted_on=date(2025, 9, 28))
    fresh = accept(world, accepted_on=date(2026, 11, 27), household=world.household_a2)
    counts = services.deadline_flags_refresh(today=date(2026, 11, 30))
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert overdue.deadline_flag == "overdue"
    # Accepted Friday 27 Nov 2026: investigation due Friday 4 Dec; on Monday 30 Nov that is 4 working days
    # off.
    assert fresh.deadline_flag == ""
    services.deadline_flags_refresh(today=date(2026, 12, 2))
    fresh.refresh_from_db()
    assert fresh.deadline_flag == "due_soon"
    assert counts == {"overdue": 1, "due_soon": 0, "none": 0}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_press_the_same_button_one_wins(world):
    application = advance(world, accept(world), "investigated")
    barrier = threading.Barrier(2)
    outcomes = []

    def press():
        try:
            barrier.wait()
            services.notice_send(
                application=Application.objects.get(pk=application.pk), acting_user=world.users["town_clerk"]
            )
            outcomes.append("won")
        except InvalidTransition as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1
    loser = next(outcome for outcome in outcomes if outcome != "won")
    assert loser.startswith("案件当前处于“公示”阶段，不能“转村(居)公示”。")
    assert ApplicationEvent.objects.filter(application=application, kind="send_to_notice").count() == 1


def test_entered_calendar_day_changes_new_deadlines(world):
    CalendarDay.objects.create(date=date(2025, 10, 9), is_workday=False, note="测试：临时放假")
    application = accept(world, accepted_on=date(2025, 9, 28))
    assert application.investigation_due == date(2025, 10, 13)


def test_the_daily_beat_task_marks_deadlines(world):
    from django_celery_beat.models import PeriodicTask

    from applications.tasks import refresh_deadline_flags

    entry = PeriodicTask.objects.get(task="applications.tasks.refresh_deadline_flags")
    assert (entry.crontab.hour, entry.crontab.minute, entry.crontab.day_of_month) == ("5", "30", "*")
    assert str(entry.crontab.timezone) == "Asia/Shanghai"
    application = accept(world, accepted_on=date(2025, 9, 28))
    assert refresh_deadline_flags() == {"overdue": 1, "due_soon": 0, "none": 0}
    application.refresh_from_db()
    assert application.deadline_flag == "overdue"
    assert refresh_deadline_flags() == {"overdue": 0, "due_soon": 0, "none": 0}  # nothing left to change


def test_every_step_has_its_timeline_label() -> None:
    """The event labels live in the glossary (issue 18.1), so the models need not import the workflow's
    binding; every step is named there, as the step itself is called (受理 reads 受理申请 on the timeline)."""
    from applications.glossary import EVENT_LABELS
    from applications.workflow import STEPS

    assert set(STEPS) <= set(EVENT_LABELS)
    renamed = {code: EVENT_LABELS[code] for code, step in STEPS.items() if EVENT_LABELS[code] != step.label}
    assert renamed == {"accept": "受理申请"}
