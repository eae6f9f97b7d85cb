"""Demo adjustment cases (动态调整, DESIGN §3.7), driven through the real services: in 还地桥镇, a member's
death decided, filed and acknowledged by the bureaus, a birth whose investigation is running, and a 低保
family's income from work that ends 低保 with a gradual exit (渐退期) in progress. Only
on a database that has no adjustment yet, so a second run adds nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from applications import services as cases
from applications.adjustment_outcomes import proposed_comparison
from applications.glossary import Bureau, Kind, Outcome
from applications.models import Application
from applications.services import MemberChange, adjustment_open
from households.forms.households import IncomeForm
from households.idnumbers import make
from households.models import Household
from households.selectors.households import active_enrollments
from households.services import households as household_services

from . import documents

TOWN = "420281104"  # 还地桥镇


def _candidates(today: date) -> list[Household]:
    """Households of the town enrolled since at least a month ago, with no case at all and at least two
    members in the household."""
    enrolled = active_enrollments(today - timedelta(days=30)).values("household_id")
    now = active_enrollments(today).values("household_id")
    return list(
        Household.objects.filter(pk__in=enrolled, village__parent__code=TOWN, applications__isnull=True)
        .filter(pk__in=now)
        .annotate(present=Count("members", filter=Q(members__is_active=True)))
        .filter(present__gte=2)
        .order_by("household_number")[:10]
    )


def _investigate(case: Application, clerk: Any, agri: Any, on: date) -> Application:
    case = cases.investigation_start(
        application=case, team=[clerk, agri], check_requested_on=on, started_on=on, acting_user=clerk
    )
    case = cases.investigation_record_check(
        application=case, reference="DY-HD-TZ-0001", result="核对无异常。", result_on=on, acting_user=agri
    )
    return cases.investigation_complete(
        application=case,
        methods=["home_visit", "neighbors"],
        video_reason="",
        findings="成员变化属实，家庭其他情况与在册信息一致。",
        completed_on=on,
        acting_user=clerk,
    )


def _decide_and_file(
    case: Application, users: dict[str, Any], *, held: date, reason: str, departure_reason: str, **extra: Any
) -> None:
    """The task force decides what the re-evaluation proposes (adding no category without a notice), the
    town files the next day, and each bureau acknowledges."""
    clerk, agri, taskforce = users["clerk_hdq"], users["agri_hdq"], users["taskforce_hdq"]
    decisions = [
        cases.Decision(
            row.category, row.enrolled_after and row.outcome != Outcome.ADD, "经集体研判。", row.member
        )
        for row in proposed_comparison(case, on=held)
    ]
    case = cases.application_decide(
        application=case,
        held_on=held,
        attendees=[taskforce, clerk, agri],
        attendees_note="镇工作专班、社会事务办、农办",
        decisions=decisions,
        reason=reason,
        departure_reason=departure_reason,
        approved_by=taskforce,
        acting_user=taskforce,
        **extra,
    )
    case = cases.application_file(application=case, filed_on=held + timedelta(days=1), acting_user=clerk)
    reviewers: dict[str, Any] = {
        Bureau.CIVIL_AFFAIRS: users["reviewer_mz"],
        Bureau.AGRICULTURE: users["reviewer_ny"],
    }
    for filing in case.filings.all():
        cases.filing_acknowledge(filing=filing, acting_user=reviewers[filing.bureau], note="已备案")


def wages_enter(household: Household, member: Any, amount: str, note: str, clerk: Any) -> None:
    """A member's new wages, entered as the income page enters them (its form, its history)."""
    form = IncomeForm(
        {"member": member.pk, "kind": "wages", "annual_amount": amount, "note": note}, household=household
    )
    assert form.is_valid(), form.errors
    income = form.save(commit=False)
    income._history_user = clerk
    income.save()


def _death(household: Household, users: dict[str, Any], today: date) -> None:
    clerk, agri = users["clerk_hdq"], users["agri_hdq"]
    deceased = household.members.filter(is_active=True).exclude(relation="applicant").order_by("pk").first()
    if deceased is None:
        return
    opened = today - timedelta(days=20)
    case = adjustment_open(
        household=household,
        trigger="member_change",
        note=f"{deceased.name}病故，家庭人口减少，重新核定救助帮扶。",
        opened_on=opened,
        acting_user=clerk,
        member_change=MemberChange(
            "death", deceased, opened - timedelta(days=5), "死亡医学证明 No.HB2026-0451"
        ),
    )
    documents.death_certificate(case, deceased, clerk)
    documents.investigation_documents(
        case, clerk, visited=datetime.combine(opened + timedelta(days=2), time(9, 40))
    )
    case = _investigate(case, clerk, agri, opened + timedelta(days=2))
    case = cases.review_send(application=case, acting_user=clerk)
    _decide_and_file(
        case,
        users,
        held=today - timedelta(days=10),
        reason="成员病故属实，按重新测算结果调整。",
        departure_reason="经集体研判调整。",
    )
    documents.review_record(case, users["taskforce_hdq"])


def _birth(household: Household, users: dict[str, Any], today: date) -> None:
    clerk, agri = users["clerk_hdq"], users["agri_hdq"]
    born = today - timedelta(days=12)
    baby = household_services.member_create(
        household=household,
        data={
            "name": f"{household.members.get(relation='applicant', is_active=True).name[0]}小宝",
            "id_number": make("420281", born, 101 + household.pk % 400 * 2),
            "relation": "grandchild",
            "labor_capacity": "none",
        },
        acting_user=clerk,
    )
    opened = today - timedelta(days=3)
    case = adjustment_open(
        household=household,
        trigger="member_change",
        note=f"{baby.name}出生，家庭人口增加，重新核定救助帮扶。",
        opened_on=opened,
        acting_user=clerk,
        member_change=MemberChange("birth", baby, born, "出生医学证明 No.Q420281-7731"),
    )
    cases.investigation_start(
        application=case, team=[clerk, agri], check_requested_on=opened, started_on=opened, acting_user=clerk
    )


def _gradual_exit(household: Household, users: dict[str, Any], today: date) -> None:
    """A 低保 family whose applicant found work: the adjustment cancels 低保 with a gradual exit (渐退期),
    so the enrollment and its amount run on to the end of the period, then the daily job ends them."""
    clerk, agri = users["clerk_hdq"], users["agri_hdq"]
    applicant = household.members.get(relation="applicant", is_active=True)
    opened = today - timedelta(days=25)
    case = adjustment_open(
        household=household,
        trigger="request",
        note=f"{applicant.name}在本镇农业合作社务工，收入增加，家庭申请重新核定。",
        opened_on=opened,
        acting_user=clerk,
    )
    wages_enter(household, applicant, "48000", "农业合作社务工", clerk)
    case = _investigate(case, clerk, agri, opened + timedelta(days=2))
    case = cases.review_send(application=case, acting_user=clerk)
    _decide_and_file(
        case,
        users,
        held=today - timedelta(days=12),
        reason="务工收入稳定，家庭人均收入已超过低保标准，取消低保并给予渐退期。",
        departure_reason="经集体研判，不新增其他类别，纳入常态化监测观察。",
        income_from_work=True,
        gradual_exit=True,
    )


def seed_adjustments() -> None:
    if Application.objects.filter(kind=Kind.ADJUSTMENT).exists():
        return
    names = ("clerk_hdq", "agri_hdq", "taskforce_hdq", "reviewer_mz", "reviewer_ny")
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    if len(users) != len(names):
        return
    today = timezone.localdate()
    households = _candidates(today)
    if len(households) < 2:
        return
    _death(households[0], users, today)
    _birth(households[1], users, today)
    dibao = set(
        active_enrollments(today)
        .filter(category="dibao", member__isnull=True, household__in=households[2:])
        .values_list("household_id", flat=True)
    )
    exiting = next((h for h in households[2:] if h.pk in dibao), None)
    if exiting is not None:
        _gradual_exit(exiting, users, today)
