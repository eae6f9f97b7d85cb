"""Opening an adjustment case (动态调整, DESIGN §3.7) on an enrolled household.

An adjustment is an `Application` of kind `adjustment`: it runs on the same action table, guards,
deadlines, events, printed forms and filings as an application. The town opens it from a member change,
a warning, a visit, a check or the family's request; monitoring calls `adjustment_open` for the last four.

A member change is recorded with its date and evidence. A removal (death, marrying out, moving out) takes
the member out of the household when the case is opened, and an imprisonment marks the member as serving
a sentence then: the fact is proven by its evidence (a death certificate, the household register, a
judgment), the re-evaluation of the investigation must see the family as it now is, and the clerk
expects the register to show it at once. What the change means for the family's assistance is the
case's decision: every enrollment, the departed member's own 特困 or 单人户低保 included, runs until
the decision date, from which the approved adjustment applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from daye_relief.errors import DomainError, InvalidInput
from eligibility.selectors import ParameterTable
from households.codes import GRADUAL_EXIT_CATEGORIES, MEMBER_CATEGORIES
from households.models import Household, Member
from households.selectors.households import active_enrollments
from households.services import households as household_services
from households.services.enrollments import (
    enrollment_amount_set,
    enrollment_end,
    enrollment_start,
    gradual_exit_grant,
)

from .. import events
from ..adjustment_outcomes import Key, Row, compare
from ..glossary import (
    ADDING_CHANGES,
    CHANGE_END_REASONS,
    LONG_TEXT,
    REMOVING_CHANGES,
    SHORT_TEXT,
    ChangeKind,
    Channel,
    Kind,
    Outcome,
    Procedure,
    Proxy,
    Stage,
    Trigger,
)
from ..models import AdjustmentMemberChange, AdjustmentOutcome, Application
from ..selectors import household_open_case
from ..sources import describe_source
from ._core import deadlines_from, next_case_number

__all__ = ["MemberChange", "adjustment_open"]


@dataclass(frozen=True)
class MemberChange:
    """A change of the household's members: `kind` one of ChangeKind (birth, marriage, return add a
    member already entered in the household; death, marrying_out, imprisonment, moving_out remove one),
    the day it happened and the evidence seen (e.g. "死亡证明 No.123")."""

    kind: str
    member: Member
    happened_on: date
    evidence: str


def _change_errors(household: Household, change: MemberChange, opened_on: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    member = change.member
    if change.kind not in ChangeKind.values:
        errors["kind"] = ["请选择成员变化类型。"]
        return errors
    if member.household_id != household.pk or not member.is_active:
        errors["member"] = ["该成员不是本户在户成员。"]
    elif change.kind == ChangeKind.IMPRISONMENT and member.imprisoned:
        errors["member"] = [f"{member.name}已登记为服刑人员。"]
    elif change.kind in REMOVING_CHANGES and member.relation == "applicant":
        others = household.members.filter(is_active=True).exclude(pk=member.pk).exists()
        if others or change.kind == ChangeKind.IMPRISONMENT:
            errors["member"] = [
                f"{member.name}是本户申请人。请先在家庭信息中另行确定申请人，再办理该成员的变更。"
            ]
    if change.happened_on > opened_on:
        errors["happened_on"] = ["发生日期不能晚于立案日期。"]
    if not change.evidence.strip():
        errors["evidence"] = ["请写明证明材料（如死亡证明、户口迁移证明、出生医学证明）。"]
    elif len(change.evidence) > SHORT_TEXT:
        errors["evidence"] = [f"不能超过{SHORT_TEXT}个字。"]
    return errors


def _apply_removal(change: MemberChange, acting_user: User) -> None:
    label = ChangeKind(change.kind).label
    reason = f"{label}（{change.happened_on.isoformat()}）：{change.evidence.strip()}"[:100]
    if change.kind == ChangeKind.IMPRISONMENT:
        household_services.member_update(
            member=change.member, data={"imprisoned": True}, acting_user=acting_user, for_adjustment=True
        )
    else:
        household_services.member_remove(member=change.member, reason=reason, acting_user=acting_user)


@transaction.atomic
def adjustment_open(
    *,
    household: Household,
    trigger: str,
    note: str,
    opened_on: date,
    acting_user: User,
    member_change: MemberChange | None = None,
    source: str = "",
) -> Application:
    """Opens an adjustment case on an enrolled household, accepted by the town on `opened_on` with the
    deadlines of an application under the regular procedure. Refuses (DomainError) with code
    `not_enrolled` when the household has no active enrollment, `open_case` when a case already runs on
    it, `invalid` (InvalidInput, per field) for a bad trigger, note, date or member change."""
    Household.objects.select_for_update().filter(pk=household.pk).first()
    household = Household.objects.select_related("village__parent").get(pk=household.pk)
    if not active_enrollments(opened_on).filter(household=household).exists():
        raise DomainError(
            "该家庭目前没有纳入任何救助帮扶类别，不能动态调整；需要救助的，请受理新申请。",
            code="not_enrolled",
            field="household",
        )
    running = household_open_case(household)
    if running is not None:
        raise DomainError(
            f"该家庭已有正在办理的案件（{running.case_number}，{Stage(running.stage).label}），"
            "请在该案件中继续办理。",
            code="open_case",
            field="household",
        )
    errors: dict[str, list[str]] = {}
    if trigger not in Trigger.values:
        errors["trigger"] = ["请选择调整起因。"]
    elif (trigger == Trigger.MEMBER_CHANGE) != (member_change is not None):
        errors["trigger"] = ["家庭成员变化引起的调整须登记成员变化；其他起因不登记成员变化。"]
    if not note.strip():
        errors["note"] = ["请写明调整事由。"]
    elif len(note) > LONG_TEXT:
        errors["note"] = [f"不能超过{LONG_TEXT}个字。"]
    if len(source) > 64:
        errors["source"] = ["来源不能超过64个字。"]
    if opened_on > timezone.localdate():
        errors["opened_on"] = ["立案日期不能晚于今天。"]
    if member_change is not None:
        errors.update(_change_errors(household, member_change, opened_on))
    applicant = household.members.filter(is_active=True, relation="applicant").first()
    if applicant is None and not errors:
        errors["household"] = ["该家庭没有在户的申请人，请先在家庭信息中确定申请人。"]
    if errors:
        raise InvalidInput(errors=errors)
    assert applicant is not None
    town = household.village.parent
    assert town is not None
    application = Application.objects.create(
        case_number=next_case_number(town, opened_on.year),
        household=household,
        applicant=applicant,
        town=town,
        kind=Kind.ADJUSTMENT,
        trigger=trigger,
        source=source.strip(),
        stage=Stage.ACCEPTED,
        channel=Channel.WINDOW if trigger == Trigger.REQUEST else Channel.DISCOVERY,
        procedure=Procedure.REGULAR,
        proxy=Proxy.NONE,
        situation=note.strip(),
        materials=[],
        materials_given_on=opened_on,
        commitment_signed_on=opened_on,
        submitted_on=opened_on,
        accepted_on=opened_on,
        accepted_by=acting_user if getattr(acting_user, "pk", None) else None,
        **deadlines_from(opened_on, Procedure.REGULAR),
    )
    change_facts: dict[str, Any] | None = None
    if member_change is not None:
        AdjustmentMemberChange.objects.create(
            application=application,
            kind=member_change.kind,
            member=member_change.member,
            happened_on=member_change.happened_on,
            evidence=member_change.evidence.strip(),
        )
        change_facts = {
            "member": member_change.member.pk,
            "member_name": member_change.member.name,
            "kind": member_change.kind,
            "happened_on": member_change.happened_on.isoformat(),
            "evidence": member_change.evidence.strip(),
        }
        if member_change.kind in REMOVING_CHANGES:
            _apply_removal(member_change, acting_user)
        else:
            assert member_change.kind in ADDING_CHANGES
    source_label = ""
    if source.strip():  # in words ("死亡预警（…）"), not the stored key ("warning:12")
        reader = acting_user if getattr(acting_user, "is_authenticated", False) else None
        described = describe_source(reader, source.strip()) if reader is not None else None
        source_label = described.label if described else ""
    events.adjustment_opened(
        application=application,
        actor=acting_user,
        trigger=trigger,
        member_change=change_facts,
        source=source.strip(),
        source_label=source_label,
    )
    return application


def _end_reason(application: Application, row: Row) -> str:
    change = getattr(application, "member_change", None)
    if change is not None and change.kind in REMOVING_CHANGES:
        gone = row.member is not None and row.member.pk == change.member_id
        emptied = row.member is None and not application.household.members.filter(is_active=True).exists()
        if gone or emptied:
            return CHANGE_END_REASONS[change.kind]
    if row.category in GRADUAL_EXIT_CATEGORIES and application.income_from_work:
        return "income_exceeds"
    return "adjustment"


def adjustment_apply(
    *, application: Application, approved: Iterable[Key], on: date, gradual_exit: bool, acting_user: User
) -> list[AdjustmentOutcome]:
    """Applies the approved adjustment from the decision date `on` and records its outcomes: ends what
    is cancelled (or, where granted, lets 低保 run on to the end of its gradual exit), sets the new
    amounts, starts what is added."""
    rows = compare(application, approved, on=on)
    months = None
    for row in rows:
        enrollment = row.enrollment
        if row.outcome == Outcome.CANCEL and enrollment is not None:
            if gradual_exit and row.category in GRADUAL_EXIT_CATEGORIES:
                if months is None:
                    region = application.household.village.code
                    months = ParameterTable.load().in_force(region, on).gradual_exit_months
                gradual_exit_grant(
                    enrollment=enrollment,
                    decided_on=on,
                    months=months,
                    income_from_work_or_business=application.income_from_work,
                    acting_user=acting_user,
                )
            else:
                enrollment_end(
                    enrollment=enrollment,
                    on=on,
                    reason=_end_reason(application, row),
                    acting_user=acting_user,
                )
        elif enrollment is not None and row.after is not None and row.after != row.before:
            enrollment_amount_set(enrollment=enrollment, amount=row.after, since=on, acting_user=acting_user)
        elif enrollment is None:
            enrollment_start(
                household=application.household,
                category=row.category,
                member=row.member if row.category in MEMBER_CATEGORIES else None,
                start=on,
                monthly_amount=row.after,
                acting_user=acting_user,
            )
    return AdjustmentOutcome.objects.bulk_create(
        AdjustmentOutcome(
            application=application,
            category=row.category,
            member=row.member,
            outcome=row.outcome,
            amount_before=row.before,
            amount_after=row.after if row.outcome != Outcome.CANCEL else None,
        )
        for row in rows
    )
