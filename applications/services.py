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
from daye_relief.errors import DomainError, InvalidInput, InvalidTransition
from eligibility.engine import membership_rule
from eligibility.selectors import household_snapshot, household_snapshot_queryset
from eligibility.services import assessment_record
from eligibility.snapshot import SnapshotInvalid, validate_snapshot
from households import services as household_services
from households.glossary import GRADUAL_EXIT_CATEGORIES, Category
from households.models import Household, Member
from workdays.selectors import workday_calendar

from . import selectors, workflow
from .adjusting import adjustment_apply, compare
from .enrolling import enrollments_start_on_approval
from .glossary import (
    BUREAU_CATEGORIES,
    LONG_TEXT,
    MATERIALS,
    OPEN_STAGES,
    SHORT_TEXT,
    Bureau,
    Channel,
    DeadlineFlag,
    FilingStatus,
    Method,
    Outcome,
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
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("investigation")
        .get(pk=application.pk)
    )
    workflow.guard(action, locked)
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
    target = to or workflow.STEPS[action].to
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
    """What the intake wizard records. `accepted_on` is the day the town accepts (受理) at its window;
    a village forwarding the application on the family's behalf gives `submitted_on` instead."""

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
    accepted_on: date | None = None
    submitted_on: date | None = None


def _not_counted(household: Household, applicant: Member, *, on: date) -> str | None:
    """Why this member cannot be the applicant by the engine's membership rule (DESIGN §3.1), or None."""
    snapshot_data = household_snapshot(household_snapshot_queryset().get(pk=household.pk), as_of=on)
    # Membership depends on the member's own facts: judge it on the head and this member alone, so that a
    # limit of the whole snapshot (its member count, say) does not stand in the way of the intake.
    snapshot_data["members"] = [
        m for m in snapshot_data["members"] if m["relation"] == "applicant" or m["ref"] == str(applicant.pk)
    ]
    try:
        snapshot = validate_snapshot(snapshot_data)
    except SnapshotInvalid as invalid:
        first = invalid.errors[0]
        return f"家庭信息有误，请先修改家庭信息：{first.message}"
    facts = next((m for m in snapshot.members if m.ref == str(applicant.pk)), None)
    if facts is None:
        return "申请人必须是本户在册的家庭成员。"
    counted, rule = membership_rule(facts, on)
    if not counted:
        why = "正在服刑" if rule == "imprisoned" else "不属于共同生活的家庭成员"
        return f"{applicant.name}{why}，不能作为申请人；申请人须是计入的共同生活家庭成员。"
    return None


def _intake_errors(intake: Intake, *, on: date) -> dict[str, list[str]]:
    household, applicant = intake.household, intake.applicant
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    refusal = selectors.household_intake_refusal(household, on=today)
    if refusal is not None:
        errors["household"] = [refusal.message]
    if applicant.household_id != household.pk or not applicant.is_active:
        errors.setdefault("applicant", []).append("申请人必须是本户在册的家庭成员。")
    else:
        why = _not_counted(household, applicant, on=today)
        if why is not None:
            errors.setdefault("applicant", []).append(why)
        capable = [
            m.name
            for m in household.members.filter(is_active=True, full_civil_capacity=True, imprisoned=False)
        ]
        if intake.proxy == Proxy.NONE and not applicant.full_civil_capacity:
            errors.setdefault("proxy", []).append(
                f"{applicant.name}不具备完全民事行为能力。"
                + (
                    f"家中{'、'.join(capable)}具备完全民事行为能力，应由其作为申请人。"
                    if capable
                    else "家中无完全民事行为能力人的，由村(居)委会或驻村工作队代为申请。"
                )
            )
        elif intake.proxy != Proxy.NONE and capable:
            errors.setdefault("proxy", []).append(
                f"家中{'、'.join(capable)}具备完全民事行为能力，应由本人申请；"
                "只有家中无完全民事行为能力人时才能代为申请。"
            )
    if intake.proxy != Proxy.NONE and not intake.proxy_reason.strip():
        errors.setdefault("proxy_reason", []).append("代为申请时，请写明原因（如家中无完全民事行为能力人）。")
    unknown = set(intake.materials) - MATERIAL_CODES
    if unknown or not intake.materials:
        errors.setdefault("materials", []).append("请勾选一次性告知的材料。")
    if on > today:
        field = "accepted_on" if intake.accepted_on is not None else "submitted_on"
        errors.setdefault(field, []).append("日期不能晚于今天。")
    if intake.commitment_signed_on > today:
        errors.setdefault("commitment_signed_on", []).append("承诺书签署日期不能晚于今天。")
    if not intake.situation.strip():
        errors.setdefault("situation", []).append("请简要写明家庭困难情况。")
    _check_lengths(errors, situation=(intake.situation, LONG_TEXT), proxy_reason=(intake.proxy_reason, 200))
    return errors


def _check_lengths(errors: dict[str, list[str]], **texts: tuple[str, int]) -> None:
    """Every typed text within its field's length (the forms say so too; this holds for any caller)."""
    for field, (text, limit) in texts.items():
        if len(text) > limit:
            errors.setdefault(field, []).append(f"不能超过{limit}个字（现有{len(text)}个字）。")


def _deadlines(accepted_on: date, procedure: str) -> dict[str, Any]:
    calendar = workday_calendar()
    investigation = calendar.add(accepted_on, INVESTIGATION_DAYS)
    overall = calendar.add(accepted_on, OVERALL_DAYS[Procedure(procedure)])
    return {
        "investigation_due": investigation.date,
        "investigation_due_provisional": investigation.provisional,
        "overall_due": overall.date,
        "overall_due_provisional": overall.provisional,
    }


def _open(intake: Intake, *, on: date, acting_user: Any, stage: str, **fields: Any) -> Application:
    household = intake.household
    Household.objects.select_for_update().filter(pk=household.pk).first()
    errors = _intake_errors(intake, on=on)
    if errors:
        raise InvalidInput(errors=errors)
    town = household.village.parent
    assert town is not None
    return Application.objects.create(
        case_number=_next_case_number(town, on.year),
        household=household,
        applicant=intake.applicant,
        town=town,
        stage=stage,
        channel=intake.channel,
        procedure=intake.procedure,
        proxy=intake.proxy,
        proxy_reason=intake.proxy_reason.strip(),
        situation=intake.situation.strip(),
        materials=list(dict.fromkeys(intake.materials)),
        materials_given_on=intake.materials_given_on,
        commitment_signed_on=intake.commitment_signed_on,
        **fields,
    )


@transaction.atomic
def application_accept(*, intake: Intake, acting_user: Any) -> Application:
    """受理 at the town's window: opens the case with its deadlines, once the intake rules of DESIGN §3.4
    hold. The town's alone (the action table's roles; a village forwards instead)."""
    accepted_on = intake.accepted_on or timezone.localdate()
    application = _open(
        intake,
        on=accepted_on,
        acting_user=acting_user,
        stage=Stage.ACCEPTED,
        submitted_on=accepted_on,
        accepted_on=accepted_on,
        accepted_by=acting_user,
        **_deadlines(accepted_on, intake.procedure),
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
def application_submit(*, intake: Intake, acting_user: Any) -> Application:
    """A village committee (or the resident work team) forwards the family's application: it waits in the
    town's inbox (`submitted`) until the clerk accepts it; no deadline runs yet (DESIGN §3.4)."""
    submitted_on = intake.submitted_on or timezone.localdate()
    application = _open(
        intake,
        on=submitted_on,
        acting_user=acting_user,
        stage=Stage.SUBMITTED,
        submitted_on=submitted_on,
        submitted_by=acting_user,
    )
    _event(
        application,
        "submit",
        acting_user,
        "",
        f"{Channel(intake.channel).label}，{Proxy(intake.proxy).label}",
    )
    return application


@transaction.atomic
def application_accept_submitted(
    *, application: Application, procedure: str, accepted_on: date, acting_user: Any
) -> Application:
    """受理 of a forwarded or online application from the town's inbox: the deadlines count from today's
    acceptance, not from the forwarding."""
    locked, from_stage = _locked(application, "accept")
    errors: dict[str, list[str]] = {}
    if accepted_on > timezone.localdate():
        errors["accepted_on"] = ["受理日期不能晚于今天。"]
    if locked.submitted_on and accepted_on < locked.submitted_on:
        errors["accepted_on"] = [f"受理日期不能早于转报日期（{locked.submitted_on.isoformat()}）。"]
    if errors:
        raise InvalidInput(errors=errors)
    _move(
        locked,
        "accept",
        acting_user,
        from_stage,
        f"{Procedure(procedure).label}",
        procedure=procedure,
        accepted_on=accepted_on,
        accepted_by=acting_user,
        **_deadlines(accepted_on, procedure),
    )
    return locked


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
    errors: dict[str, list[str]] = {}
    if not result.strip():
        errors["check_result"] = ["请填写核对结果。"]
    _check_lengths(errors, check_result=(result, LONG_TEXT), check_reference=(reference, 64))
    if errors:
        raise InvalidInput(errors=errors)
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
    _check_lengths(errors, findings=(findings, LONG_TEXT), video_reason=(video_reason, SHORT_TEXT))
    if errors:
        raise InvalidInput(errors=errors)
    investigation.methods = list(dict.fromkeys(methods))
    investigation.video_reason = video_reason.strip()
    investigation.findings = findings.strip()
    investigation.completed_on = completed_on
    investigation.save()
    # An adjustment whose every member has died or left has nobody to evaluate: its decision can only
    # cancel what the household held (自然消除).
    emptied = locked.is_adjustment and not locked.household.members.filter(is_active=True).exists()
    assessment = (
        None
        if emptied
        else assessment_record(household=locked.household, as_of=completed_on, acting_user=acting_user)
    )
    _move(locked, "complete_investigation", acting_user, from_stage, findings.strip(), assessment=assessment)
    return locked


@transaction.atomic
def notice_send(*, application: Application, acting_user: Any) -> Application:
    """转村(居)公示: the town hands the investigated case to its village for the public notice."""
    locked, from_stage = _locked(application, "send_to_notice")
    _move(locked, "send_to_notice", acting_user, from_stage)
    return locked


@transaction.atomic
def review_send(*, application: Application, acting_user: Any) -> Application:
    """转集体研判 without a notice: an adjustment that adds no category skips the public notice (DESIGN
    §3.7); the review is due 3 working days later."""
    locked, from_stage = _locked(application, "send_to_review")
    review = workday_calendar().add(timezone.localdate(), REVIEW_DAYS)
    _move(
        locked,
        "send_to_review",
        acting_user,
        from_stage,
        "本次调整未新增救助类别，无需公示。",
        review_due=review.date,
        review_due_provisional=review.provisional,
    )
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


def _decision_label(category: str, member: Member | None) -> str:
    return f"{Category(category).label}（{member.name}）" if member else Category(category).label


def engine_found(result: dict[str, Any] | None, category: str, member: Member | None) -> bool | None:
    """Whether the engine's result found this category (for this member, when member-level); None for
    一事一议, which the engine never decides."""
    if category == Category.CASE_BY_CASE:
        return None
    if result is None:
        return False
    if member is not None:
        found = next((m for m in result.get("members", []) if m["ref"] == str(member.pk)), None)
        return found is not None and category in found["categories"]
    return category in result.get("categories", [])


def departures(result: dict[str, Any] | None, decisions: Sequence[Decision]) -> list[str]:
    """The decisions that depart from the engine, in words: approved though not found, refused though
    found (DESIGN §3.4)."""
    return _departure_words(
        added=[
            _decision_label(d.category, d.member)
            for d in decisions
            if d.approved and engine_found(result, d.category, d.member) is False
        ],
        refused=[
            _decision_label(d.category, d.member)
            for d in decisions
            if not d.approved and engine_found(result, d.category, d.member)
        ],
    )


def _departure_words(*, added: list[str], refused: list[str]) -> list[str]:
    parts = []
    if added:
        parts.append(f"纳入了系统测算未认定的{'、'.join(added)}")
    if refused:
        parts.append(f"未纳入系统测算认定的{'、'.join(refused)}")
    return parts


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
    departure_reason: str = "",
    income_from_work: bool = False,
    gradual_exit: bool = False,
) -> Application:
    """集体研判: a decision per category with reasons; approval by the town. No category approved is a
    rejection, with the reason that the written rejection notice gives the family. An approval that departs
    from the engine's result needs its own written reason, which the filing carries.

    An adjustment's decision is always applied (its decisions are the family's categories from the
    decision date: what is no longer approved is cancelled); a category the household does not hold is
    added only after a public notice; a gradual exit (`gradual_exit`) only where 低保 is cancelled and the
    rise in income comes from work or a family business (`income_from_work`)."""
    approved = any(d.approved for d in decisions)
    locked, from_stage = _locked(application, "decide")
    result = locked.assessment.result if locked.assessment else None
    departed = departures(result, decisions)
    errors: dict[str, list[str]] = {}
    if locked.is_adjustment:
        approved = True
        errors.update(_adjustment_errors(locked, decisions, held_on, income_from_work, gradual_exit))
    if approved and departed and not departure_reason.strip():
        errors["departure_reason"] = [f"研判结果与系统测算不一致（{'；'.join(departed)}），请写明理由。"]
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
        if len(decision.reason) > SHORT_TEXT:
            errors.setdefault("decisions", []).append(
                f"“{Category(decision.category).label}”的理由不能超过{SHORT_TEXT}个字。"
            )
    if not decisions:
        errors.setdefault("decisions", []).append("请对每个类别作出决定。")
    _check_lengths(
        errors,
        reason=(reason, LONG_TEXT),
        departure_reason=(departure_reason, LONG_TEXT),
        attendees_note=(attendees_note, SHORT_TEXT),
    )
    if errors:
        raise InvalidInput(errors=errors)
    review = Review.objects.create(
        application=locked,
        held_on=held_on,
        attendees_note=attendees_note.strip(),
        approved=approved,
        reason=reason.strip(),
        departure_reason=departure_reason.strip() if departed else "",
        approved_by=approved_by,
    )
    review.attendees.set(attendees)
    recorded = CategoryDecision.objects.bulk_create(
        CategoryDecision(
            review=review,
            category=d.category,
            member=d.member,
            approved=d.approved,
            reason=d.reason,
            engine_found=engine_found(result, d.category, d.member),
        )
        for d in decisions
    )
    if locked.is_adjustment:  # applies from the decision date (DESIGN §3.7)
        locked.household = Household.objects.select_related("village").get(pk=locked.household_id)
        locked.income_from_work, locked.gradual_exit_granted = income_from_work, gradual_exit
        locked.save(update_fields=["income_from_work", "gradual_exit_granted"])
        adjustment_apply(
            application=locked,
            approved=[(d.category, d.member.pk if d.member else None) for d in decisions if d.approved],
            on=held_on,
            gradual_exit=gradual_exit,
            acting_user=acting_user,
        )
    elif approved:  # enrolled from the approval date (DESIGN §3.7), not at the acknowledgement
        locked.household = Household.objects.get(pk=locked.household_id)
        enrollments_start_on_approval(
            application=locked, decisions=recorded, start=held_on, acting_user=acting_user
        )
    # The deadlines stop at the decision: an approved case waiting to be filed is not overdue.
    fields: dict[str, Any] = {"decided_on": held_on, "deadline_flag": DeadlineFlag.NONE}
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


def _adjustment_errors(
    application: Application,
    decisions: Sequence[Decision],
    held_on: date,
    income_from_work: bool,
    gradual_exit: bool,
) -> dict[str, list[str]]:
    """The rules of an adjustment's decision (DESIGN §3.7)."""
    errors: dict[str, list[str]] = {}
    approved = [(d.category, d.member.pk if d.member else None) for d in decisions if d.approved]
    for d in decisions:
        if d.approved and d.member is not None and (not d.member.is_active or d.member.imprisoned):
            errors.setdefault("decisions", []).append(
                f"{d.member.name}已不在户（或正在服刑），不能纳入{Category(d.category).label}。"
            )
    rows = compare(application, approved, on=held_on)
    added = [row.label for row in rows if row.outcome == Outcome.ADD]
    if added and application.notice_closed_on is None:
        errors.setdefault("decisions", []).append(
            f"新增{'、'.join(added)}须经村(居)公示。请退回重新调查后转村(居)公示，或不新增该类别。"
        )
    if gradual_exit:
        cancelled = [r for r in rows if r.outcome == Outcome.CANCEL and r.category in GRADUAL_EXIT_CATEGORIES]
        if not cancelled:
            errors.setdefault("gradual_exit", []).append("只有取消低保（含单人户低保）时才能给予渐退期。")
        elif not income_from_work:
            errors.setdefault("gradual_exit", []).append(
                "只有因积极就业或发展产业使收入超过标准而取消低保的，才能给予渐退期；请先勾选收入增加的来源。"
            )
    return errors


def _last_review(application: Application) -> Review | None:
    return application.reviews.order_by("-held_on", "-pk").first()


def approved_decisions(application: Application) -> list[CategoryDecision]:
    review = _last_review(application)
    if review is None:
        return []
    return [d for d in review.decisions.select_related("member") if d.approved]


def _departure_note(review: Review | None, categories: Sequence[str]) -> str:
    """The review's departures from the engine within these categories, with the reason; blank if none."""
    if review is None:
        return ""
    mine = [
        Decision(d.category, d.approved, d.reason, d.member)
        for d in review.decisions.select_related("member")
        if d.category in categories and d.departs
    ]
    if not mine:
        return ""
    parts = _departure_words(
        added=[_decision_label(d.category, d.member) for d in mine if d.approved],
        refused=[_decision_label(d.category, d.member) for d in mine if not d.approved],
    )
    return f"{'；'.join(parts)}。理由：{review.departure_reason}"


@transaction.atomic
def application_file(*, application: Application, filed_on: date, acting_user: Any) -> Application:
    """报送备案: the civil-affairs categories to the Civil Affairs Bureau, the monitoring mark to the
    Agriculture Bureau; the overlap is marked on both, and a departure from the engine on the filing
    whose categories it concerns."""
    locked, from_stage = _locked(application, "file")
    review = _last_review(locked)
    codes = {d.category for d in approved_decisions(locked)}
    if locked.is_adjustment:  # the bureaus learn of every category the adjustment touched
        changed = locked.outcomes.exclude(outcome=Outcome.NO_CHANGE).values_list("category", flat=True)
        codes = set(changed) or set(locked.outcomes.values_list("category", flat=True))
    overlap = "monitoring" in codes and bool(codes & set(BUREAU_CATEGORIES[Bureau.CIVIL_AFFAIRS]))
    for bureau, categories in BUREAU_CATEGORIES.items():
        mine = [code for code in categories if code in codes]
        if mine:
            Filing.objects.create(
                application=locked,
                bureau=bureau,
                categories=mine,
                monitoring_overlap=overlap,
                departure_note=_departure_note(review, categories),
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
    if len(note) > SHORT_TEXT:
        raise InvalidInput(errors={"note": [f"不能超过{SHORT_TEXT}个字。"]})
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
    if len(note) > SHORT_TEXT:
        raise InvalidInput(errors={"note": [f"不能超过{SHORT_TEXT}个字。"]})
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
    if len(note) > SHORT_TEXT:
        raise InvalidInput(errors={"note": [f"不能超过{SHORT_TEXT}个字。"]})
    locked = _filing_locked(filing, FilingStatus.RETURNED)
    locked.status, locked.acted_by, locked.acted_at = FilingStatus.PENDING, None, None
    locked.filed_on = timezone.localdate()
    locked.save(update_fields=["status", "acted_by", "acted_at", "filed_on"])
    application = locked.application
    _event(application, "filing_resubmitted", acting_user, application.stage, note.strip())
    return locked


@transaction.atomic
def application_withdraw(
    *, application: Application, requested_on: date, reason: str, acting_user: Any
) -> Application:
    """撤回 at the applicant's written request, recorded with its date and reason; the town's alone, and
    never after the decision (the action table)."""
    locked, from_stage = _locked(application, "withdraw")
    errors: dict[str, list[str]] = {}
    if len(reason.strip()) < 4:
        errors["reason"] = ["请写明申请人书面申请撤回的原因。"]
    _check_lengths(errors, reason=(reason, SHORT_TEXT))
    if requested_on > timezone.localdate():
        errors["requested_on"] = ["书面申请日期不能晚于今天。"]
    elif locked.submitted_on and requested_on < locked.submitted_on:
        errors["requested_on"] = ["书面申请日期不能早于提出申请的日期。"]
    if errors:
        raise InvalidInput(errors=errors)
    _move(
        locked,
        "withdraw",
        acting_user,
        from_stage,
        f"申请人{requested_on.isoformat()}书面申请撤回：{reason.strip()}",
        withdrawal_requested_on=requested_on,
        withdrawal_reason=reason.strip(),
        deadline_flag=DeadlineFlag.NONE,
    )
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
    _check_lengths(errors, reason=(reason, SHORT_TEXT))
    if errors:
        raise InvalidInput(errors=errors)
    assert locked.accepted_on is not None  # the table extends accepted cases only
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


def deadline_flags_refresh(*, today: date) -> dict[str, int]:
    """Marks every open case due soon (within 2 working days) or overdue, and clears the others.
    Safe to run any number of times a day; a handful of queries whatever the number of cases."""
    calendar = workday_calendar()
    flags: dict[str, list[int]] = {DeadlineFlag.OVERDUE: [], DeadlineFlag.DUE_SOON: [], DeadlineFlag.NONE: []}
    for application in Application.objects.filter(stage__in=OPEN_STAGES).select_related("investigation"):
        dues = selectors.binding_deadlines(application)
        nearest = min(dues) if dues else None
        flag: str
        if nearest is None:
            flag = DeadlineFlag.NONE
        elif nearest < today:
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


@transaction.atomic
def household_member_remove(*, member: Member, reason: str, acting_user: Any) -> Member:
    """Takes a member out of the household, unless the household is enrolled (a member leaving an
    enrolled household always goes through an adjustment case: adjustments.adjustment_open with the
    member change, never a silent edit) or the member is the applicant of a case still running (the case
    names them; withdraw or finish it first). The case side's check around households' own member
    removal, which knows no case."""
    locked = Member.objects.select_for_update().get(pk=member.pk)
    enrolled = selectors.active_enrollments(timezone.localdate()).filter(household_id=locked.household_id)
    if enrolled.exists():
        raise DomainError(
            "该家庭已纳入救助帮扶，成员减少须通过动态调整办理（办理成员变更），不能直接移出。",
            code="enrolled_use_adjustment",
        )
    running = Application.objects.filter(applicant=locked, stage__in=OPEN_STAGES).order_by("-pk").first()
    if running is not None:
        raise DomainError(
            f"该成员是正在办理的案件（{running.case_number}，{Stage(running.stage).label}）的申请人，"
            "不能移出。请先撤回或办结该案件。",
            code="applicant_of_open_case",
        )
    return household_services.member_remove(member=locked, reason=reason, acting_user=acting_user)
