"""Writes of the case, one service per transition: guarded by the stage table, atomic, under a row lock,
and each leaving an ApplicationEvent (who, when, from, to, why)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import scope_of
from accounts.glossary import Role
from accounts.models import OrgUnit
from daye_relief.errors import InvalidInput, InvalidTransition
from eligibility.services import assessment_record
from households.glossary import Category
from households.models import Household, Member
from workdays.selectors import workday_calendar

from .enrolling import enrollments_start_on_approval
from .glossary import (
    BUREAU_CATEGORIES,
    MATERIALS,
    OPEN_STAGES,
    Bureau,
    DeadlineFlag,
    FilingStatus,
    Method,
    Procedure,
    Proxy,
    Stage,
)
from .models import Application, ApplicationEvent, CategoryDecision, Filing, Investigation, Review

INVESTIGATION_DAYS = 5
REVIEW_DAYS = 3
OVERALL_DAYS = {Procedure.COMMITMENT: 10, Procedure.REGULAR: 20}
MAX_WORKING_DAYS = 45
MATERIAL_CODES = frozenset(code for code, _ in MATERIALS)


def _locked(application: Application, action: str) -> tuple[Application, str]:
    """Re-reads the case under a row lock and checks the move against the action table (stage and
    precondition); returns it and the stage it was in."""
    from . import actions  # the table names these services: it imports this module

    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("investigation")
        .get(pk=application.pk)
    )
    actions.guard(action, locked)
    return locked, locked.stage


def _event(
    application: Application, kind: str, actor: Any, from_stage: str, note: str = ""
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        from_stage=from_stage,
        to_stage=application.stage,
        note=note,
    )


def _move(
    application: Application,
    action: str,
    actor: Any,
    from_stage: str,
    note: str = "",
    *,
    to: str | None = None,
    kind: str | None = None,
    **fields: Any,
) -> None:
    """Saves the move the action table allows (`to`: the stage an action with a chosen outcome leads to)
    and leaves its event."""
    from . import actions

    target = to or actions.ACTIONS[action].to
    if target is not None:
        application.stage = target
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["stage", "updated_at", *fields])
    _event(application, kind or action, actor, from_stage, note)


def _next_case_number(town: OrgUnit, year: int) -> str:
    OrgUnit.objects.select_for_update().filter(pk=town.pk).first()
    prefix = f"{town.code}-{year}-"
    last = (
        Application.objects.filter(case_number__startswith=prefix)
        .order_by("-case_number")
        .values_list("case_number", flat=True)
    ).first()
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


@dataclass(frozen=True)
class Intake:
    household: Household
    applicant: Member
    channel: str
    procedure: str
    proxy: str
    proxy_reason: str
    situation: str
    materials: Sequence[str]
    materials_given_on: date
    commitment_signed_on: date
    accepted_on: date


@transaction.atomic
def application_accept(*, intake: Intake, acting_user: Any) -> Application:
    """受理: opens the case, with its deadlines, once the intake rules of DESIGN §3.4 hold."""
    household, applicant = intake.household, intake.applicant
    Household.objects.select_for_update().filter(pk=household.pk).first()
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    open_case = Application.objects.filter(household=household, stage__in=OPEN_STAGES).first()
    if open_case is not None:
        errors.setdefault("household", []).append(
            f"该家庭已有正在办理的申请（{open_case.case_number}，{Stage(open_case.stage).label}），不能重复受理。"
        )
    if applicant.household_id != household.pk or not applicant.is_active:
        errors.setdefault("applicant", []).append("申请人必须是本户在册的家庭成员。")
    elif intake.proxy == Proxy.NONE and not applicant.full_civil_capacity:
        errors.setdefault("proxy", []).append(
            f"{applicant.name}不具备完全民事行为能力，应由村(居)委会或驻村工作队代为申请。"
        )
    elif applicant.imprisoned:
        errors.setdefault("applicant", []).append("服刑人员不能作为申请人。")
    if intake.proxy != Proxy.NONE and not intake.proxy_reason.strip():
        errors.setdefault("proxy_reason", []).append("代为申请时，请写明原因（如家中无完全民事行为能力人）。")
    unknown = set(intake.materials) - MATERIAL_CODES
    if unknown or not intake.materials:
        errors.setdefault("materials", []).append("请勾选一次性告知的材料。")
    if intake.accepted_on > today:
        errors.setdefault("accepted_on", []).append("受理日期不能晚于今天。")
    if intake.commitment_signed_on > today:
        errors.setdefault("commitment_signed_on", []).append("承诺书签署日期不能晚于今天。")
    if not intake.situation.strip():
        errors.setdefault("situation", []).append("请简要写明家庭困难情况。")
    if errors:
        raise InvalidInput(errors=errors)
    calendar = workday_calendar()
    investigation = calendar.add(intake.accepted_on, INVESTIGATION_DAYS)
    overall = calendar.add(intake.accepted_on, OVERALL_DAYS[Procedure(intake.procedure)])
    town = household.village.parent
    assert town is not None
    application = Application.objects.create(
        case_number=_next_case_number(town, intake.accepted_on.year),
        household=household,
        applicant=applicant,
        town=town,
        channel=intake.channel,
        procedure=intake.procedure,
        proxy=intake.proxy,
        proxy_reason=intake.proxy_reason.strip(),
        situation=intake.situation.strip(),
        materials=list(dict.fromkeys(intake.materials)),
        materials_given_on=intake.materials_given_on,
        commitment_signed_on=intake.commitment_signed_on,
        accepted_on=intake.accepted_on,
        accepted_by=acting_user,
        investigation_due=investigation.date,
        investigation_due_provisional=investigation.provisional,
        overall_due=overall.date,
        overall_due_provisional=overall.provisional,
    )
    _event(
        application,
        "accept",
        acting_user,
        "",
        f"{Procedure(intake.procedure).label}，{Proxy(intake.proxy).label}",
    )
    return application


@transaction.atomic
def investigation_start(
    *,
    application: Application,
    team: Iterable[Any],
    check_requested_on: date,
    started_on: date,
    acting_user: Any,
) -> Application:
    """启动调查: the joint team of two or more (social-affairs and agricultural office), the check request."""
    locked, from_stage = _locked(application, "start_investigation")
    members = list(team)
    roles = {role for user in members for role, unit in scope_of(user).assignments if unit == locked.town_id}
    if len(members) < 2 or not {Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER} <= roles:
        raise InvalidInput(errors={"team": ["调查组至少2人，须包括本镇社会事务办和农办的工作人员。"]})
    investigation, _ = Investigation.objects.update_or_create(
        application=locked,
        defaults={"started_on": started_on, "check_requested_on": check_requested_on, "completed_on": None},
    )
    investigation.team.set(members)
    _move(
        locked,
        "start_investigation",
        acting_user,
        from_stage,
        f"调查组：{'、'.join(str(m) for m in members)}",
    )
    return locked


@transaction.atomic
def investigation_record_check(
    *, application: Application, reference: str, result: str, result_on: date, acting_user: Any
) -> Application:
    """登记家庭经济状况核对结果 (entered by hand or imported from the city platform's report)."""
    locked, from_stage = _locked(application, "record_check")
    if not result.strip():
        raise InvalidInput(errors={"check_result": ["请填写核对结果。"]})
    Investigation.objects.filter(application=locked).update(
        check_reference=reference.strip(), check_result=result.strip(), check_result_on=result_on
    )
    _move(locked, "record_check", acting_user, from_stage, f"核对结果：{result.strip()}")
    return locked


@transaction.atomic
def investigation_complete(
    *,
    application: Application,
    methods: Sequence[str],
    video_reason: str,
    findings: str,
    completed_on: date,
    acting_user: Any,
) -> Application:
    """完成调查: the methods used and the findings; the engine then proposes categories from the verified
    household data, stored as an Assessment the review sees."""
    locked, from_stage = _locked(application, "complete_investigation")
    investigation = locked.investigation
    errors: dict[str, list[str]] = {}
    if not methods or set(methods) - set(Method.values):
        errors.setdefault("methods", []).append("请选择调查方式。")
    if Method.VIDEO in methods and not video_reason.strip():
        errors.setdefault("video_reason", []).append("采用视频调查的，须写明特殊情况的原因。")
    if not findings.strip():
        errors.setdefault("findings", []).append("请填写调查结论。")
    if completed_on < investigation.started_on:
        errors.setdefault("completed_on", []).append("完成日期不能早于调查开始日期。")
    if errors:
        raise InvalidInput(errors=errors)
    investigation.methods = list(dict.fromkeys(methods))
    investigation.video_reason = video_reason.strip()
    investigation.findings = findings.strip()
    investigation.completed_on = completed_on
    investigation.save()
    assessment = assessment_record(household=locked.household, as_of=completed_on, acting_user=acting_user)
    _move(locked, "complete_investigation", acting_user, from_stage, findings.strip(), assessment=assessment)
    return locked


@transaction.atomic
def notice_send(*, application: Application, acting_user: Any) -> Application:
    """转村(居)公示: the town hands the investigated case to its village for the public notice."""
    locked, from_stage = _locked(application, "send_to_notice")
    _move(locked, "send_to_notice", acting_user, from_stage)
    return locked


@transaction.atomic
def notice_close(
    *, application: Application, closed_on: date, acting_user: Any, note: str = ""
) -> Application:
    """公示期满无异议: the family is a proposed beneficiary; the review is due 3 working days later."""
    locked, from_stage = _locked(application, "close_notice")
    review = workday_calendar().add(closed_on, REVIEW_DAYS)
    _move(
        locked,
        "close_notice",
        acting_user,
        from_stage,
        note or "公示期满无异议，确定为拟救助帮扶对象。",
        notice_closed_on=closed_on,
        review_due=review.date,
        review_due_provisional=review.provisional,
    )
    return locked


@transaction.atomic
def reinvestigation_return(*, application: Application, reason: str, acting_user: Any) -> Application:
    """退回重新调查 (after an objection to the notice, or from the review): a new investigation, due 5
    working days after the return, and a new notice follow."""
    locked, from_stage = _locked(application, "return_for_reinvestigation")
    if not reason.strip():
        raise InvalidInput(errors={"reason": ["请写明退回重新调查的原因。"]})
    Investigation.objects.filter(application=locked).update(completed_on=None)
    due = workday_calendar().add(timezone.localdate(), INVESTIGATION_DAYS)
    _move(
        locked,
        "return_for_reinvestigation",
        acting_user,
        from_stage,
        reason.strip(),
        notice_closed_on=None,
        review_due=None,
        review_due_provisional=False,
        investigation_due=due.date,
        investigation_due_provisional=due.provisional,
    )
    return locked


@dataclass(frozen=True)
class Decision:
    category: str
    approved: bool
    reason: str
    member: Member | None = None


@transaction.atomic
def application_decide(
    *,
    application: Application,
    held_on: date,
    attendees: Sequence[Any],
    attendees_note: str,
    decisions: Sequence[Decision],
    reason: str,
    approved_by: Any,
    acting_user: Any,
) -> Application:
    """集体研判: a decision per category with reasons; approval by the town. No category approved is a
    rejection, with the reason that the written rejection notice gives the family."""
    approved = any(d.approved for d in decisions)
    locked, from_stage = _locked(application, "decide")
    errors: dict[str, list[str]] = {}
    if len(attendees) < 3:
        errors.setdefault("attendees", []).append("集体研判参会人员不少于3人。")
    if locked.notice_closed_on and held_on < locked.notice_closed_on:
        errors.setdefault("held_on", []).append("研判日期不能早于公示结束日期。")
    if held_on > timezone.localdate():
        errors.setdefault("held_on", []).append("研判日期不能晚于今天。")
    if not reason.strip():
        errors.setdefault("reason", []).append("请填写研判意见。" if approved else "请填写不予批准的理由。")
    for decision in decisions:
        if not decision.reason.strip():
            errors.setdefault("decisions", []).append(f"请写明“{Category(decision.category).label}”的理由。")
        if (
            decision.category == Category.CASE_BY_CASE
            and decision.approved
            and len(decision.reason.strip()) < 4
        ):
            errors.setdefault("decisions", []).append("“其他困难人员（一事一议）”须写明具体理由。")
    if not decisions:
        errors.setdefault("decisions", []).append("请对每个类别作出决定。")
    if errors:
        raise InvalidInput(errors=errors)
    review = Review.objects.create(
        application=locked,
        held_on=held_on,
        attendees_note=attendees_note.strip(),
        approved=approved,
        reason=reason.strip(),
        approved_by=approved_by,
    )
    review.attendees.set(attendees)
    recorded = CategoryDecision.objects.bulk_create(
        CategoryDecision(
            review=review, category=d.category, member=d.member, approved=d.approved, reason=d.reason
        )
        for d in decisions
    )
    if (
        approved
    ):  # enrolled from the town's approval date (DESIGN §3.7), not from the bureau's acknowledgement
        locked.household = Household.objects.get(pk=locked.household_id)
        enrollments_start_on_approval(
            application=locked, decisions=recorded, start=held_on, acting_user=acting_user
        )
    fields: dict[str, Any] = {"decided_on": held_on}
    if not approved:
        fields["rejection_reason"] = reason.strip()
    _move(
        locked,
        "decide",
        acting_user,
        from_stage,
        reason.strip(),
        to=Stage.APPROVED if approved else Stage.REJECTED,
        kind="approve" if approved else "reject",
        **fields,
    )
    return locked


def approved_decisions(application: Application) -> list[CategoryDecision]:
    review = application.reviews.order_by("-held_on", "-pk").first()
    if review is None:
        return []
    return [d for d in review.decisions.select_related("member") if d.approved]


@transaction.atomic
def application_file(*, application: Application, filed_on: date, acting_user: Any) -> Application:
    """报送备案: the civil-affairs categories to the Civil Affairs Bureau, the monitoring mark to the
    Agriculture Bureau; the overlap is marked on both."""
    locked, from_stage = _locked(application, "file")
    codes = {d.category for d in approved_decisions(locked)}
    overlap = "monitoring" in codes and bool(codes & set(BUREAU_CATEGORIES[Bureau.CIVIL_AFFAIRS]))
    for bureau, categories in BUREAU_CATEGORIES.items():
        mine = [code for code in categories if code in codes]
        if mine:
            Filing.objects.create(
                application=locked,
                bureau=bureau,
                categories=mine,
                monitoring_overlap=overlap,
                filed_on=filed_on,
            )
    _move(locked, "file", acting_user, from_stage, "同时报送防返贫监测标识" if overlap else "")
    return locked


def _filing_locked(filing: Filing, *allowed: str) -> Filing:
    locked = Filing.objects.select_for_update().select_related("application__household").get(pk=filing.pk)
    if locked.status not in allowed:
        raise InvalidTransition(
            f"该备案当前为“{FilingStatus(locked.status).label}”，不能重复处理。请刷新页面查看最新状态。"
        )
    return locked


@transaction.atomic
def filing_acknowledge(*, filing: Filing, acting_user: Any, note: str = "") -> Filing:
    """The bureau acknowledges the filing (备案; 标识 for monitoring). The household has been enrolled since
    the town's approval (DESIGN §3.7); acknowledging records the filing and changes no enrollment."""
    locked = _filing_locked(filing, FilingStatus.PENDING)
    locked.status, locked.acted_by, locked.acted_at, locked.note = (
        FilingStatus.ACKNOWLEDGED,
        acting_user,
        timezone.now(),
        note.strip(),
    )
    locked.save(update_fields=["status", "acted_by", "acted_at", "note"])
    application = locked.application
    _event(
        application,
        "filing_acknowledged",
        acting_user,
        application.stage,
        f"{locked.get_bureau_display()}确认备案",
    )
    return locked


@transaction.atomic
def filing_return(*, filing: Filing, acting_user: Any, note: str) -> Filing:
    """The bureau returns the filing for correction, with what to correct."""
    if not note.strip():
        raise InvalidInput(errors={"note": ["请写明需要更正的内容。"]})
    locked = _filing_locked(filing, FilingStatus.PENDING)
    locked.status, locked.acted_by, locked.acted_at, locked.note = (
        FilingStatus.RETURNED,
        acting_user,
        timezone.now(),
        note.strip(),
    )
    locked.save(update_fields=["status", "acted_by", "acted_at", "note"])
    application = locked.application
    _event(
        application,
        "filing_returned",
        acting_user,
        application.stage,
        f"{locked.get_bureau_display()}退回：{note}",
    )
    return locked


@transaction.atomic
def filing_resubmit(*, filing: Filing, acting_user: Any, note: str) -> Filing:
    """The town corrects a returned filing and sends it again."""
    if not note.strip():
        raise InvalidInput(errors={"note": ["请写明已更正的内容。"]})
    locked = _filing_locked(filing, FilingStatus.RETURNED)
    locked.status, locked.acted_by, locked.acted_at = FilingStatus.PENDING, None, None
    locked.filed_on = timezone.localdate()
    locked.save(update_fields=["status", "acted_by", "acted_at", "filed_on"])
    application = locked.application
    _event(application, "filing_resubmitted", acting_user, application.stage, note.strip())
    return locked


@transaction.atomic
def application_withdraw(*, application: Application, reason: str, acting_user: Any) -> Application:
    """撤回: never without a recorded reason (a village may not simply drop a case)."""
    if len(reason.strip()) < 4:
        raise InvalidInput(errors={"reason": ["请写明撤回的具体原因（如申请人书面撤回）。"]})
    locked, from_stage = _locked(application, "withdraw")
    _move(locked, "withdraw", acting_user, from_stage, reason.strip(), withdrawal_reason=reason.strip())
    return locked


@transaction.atomic
def application_extend(
    *, application: Application, total_working_days: int, reason: str, acting_user: Any
) -> Application:
    """延长办理期限: with a reason, never past 45 working days after intake."""
    locked, from_stage = _locked(application, "extend")
    base = OVERALL_DAYS[Procedure(locked.procedure)]
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors.setdefault("reason", []).append("请写明延期原因。")
    if not base < total_working_days <= MAX_WORKING_DAYS:
        errors.setdefault("total_working_days", []).append(
            f"延长后的办理时限应多于{base}个工作日、不超过{MAX_WORKING_DAYS}个工作日。"
        )
    if errors:
        raise InvalidInput(errors=errors)
    extended = workday_calendar().add(locked.accepted_on, total_working_days)
    _move(
        locked,
        "extend",
        acting_user,
        from_stage,
        f"延长至受理后{total_working_days}个工作日（{extended.date.isoformat()}）：{reason.strip()}",
        extended_due=extended.date,
        extended_due_provisional=extended.provisional,
        extension_reason=reason.strip(),
    )
    return locked


DUE_SOON_WORKING_DAYS = 2


def _current_due(application: Application) -> list[date]:
    """The deadlines that bind the case in its stage."""
    dues = [application.final_due]
    investigation = getattr(application, "investigation", None)
    if application.stage in (Stage.ACCEPTED, Stage.INVESTIGATING) and (
        investigation is None or investigation.completed_on is None
    ):
        dues.append(application.investigation_due)
    if application.stage == Stage.DELIBERATING and application.review_due:
        dues.append(application.review_due)
    return dues


def deadline_flags_refresh(*, today: date) -> dict[str, int]:
    """Marks every open case due soon (within 2 working days) or overdue, and clears the others.
    Safe to run any number of times a day; a handful of queries whatever the number of cases."""
    calendar = workday_calendar()
    flags: dict[str, list[int]] = {DeadlineFlag.OVERDUE: [], DeadlineFlag.DUE_SOON: [], DeadlineFlag.NONE: []}
    for application in Application.objects.filter(stage__in=OPEN_STAGES).select_related("investigation"):
        nearest = min(_current_due(application))
        flag: str
        if nearest < today:
            flag = DeadlineFlag.OVERDUE
        elif calendar.working_days_between(today, nearest)[0] <= DUE_SOON_WORKING_DAYS:
            flag = DeadlineFlag.DUE_SOON
        else:
            flag = DeadlineFlag.NONE
        if flag != application.deadline_flag:
            flags[flag].append(application.pk)
    for flag, ids in flags.items():
        if ids:
            Application.objects.filter(pk__in=ids).update(deadline_flag=flag)
    Application.objects.exclude(stage__in=OPEN_STAGES).exclude(deadline_flag="").update(deadline_flag="")
    return {flag or "none": len(ids) for flag, ids in flags.items()}
