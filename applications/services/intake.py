"""Opening a case: accepted at the town window, or forwarded by the village and accepted from the inbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from daye_relief.errors import InvalidInput
from eligibility.engine import membership_rule
from eligibility.selectors import household_snapshot, household_snapshot_queryset
from eligibility.snapshot import SnapshotInvalid, validate_snapshot
from households.models import Household, Member

from .. import events, selectors
from ..glossary import LONG_TEXT, Proxy, Stage
from ..models import Application
from ._core import (
    MATERIAL_CODES,
    check_lengths,
    deadlines_from,
    lock_for,
    move,
    next_case_number,
)


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
    check_lengths(errors, situation=(intake.situation, LONG_TEXT), proxy_reason=(intake.proxy_reason, 200))
    return errors


def _open(intake: Intake, *, on: date, acting_user: User, stage: str, **fields: Any) -> Application:
    household = intake.household
    Household.objects.select_for_update().filter(pk=household.pk).first()
    errors = _intake_errors(intake, on=on)
    if errors:
        raise InvalidInput(errors=errors)
    town = household.village.parent
    assert town is not None
    return Application.objects.create(
        case_number=next_case_number(town, on.year),
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
def application_accept(*, intake: Intake, acting_user: User) -> Application:
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
        **deadlines_from(accepted_on, intake.procedure),
    )
    events.accepted(
        application=application,
        actor=acting_user,
        from_stage="",
        procedure=intake.procedure,
        proxy=intake.proxy,
    )
    return application


@transaction.atomic
def application_submit(*, intake: Intake, acting_user: User) -> Application:
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
    events.submitted(application=application, actor=acting_user, channel=intake.channel, proxy=intake.proxy)
    return application


@transaction.atomic
def application_accept_submitted(
    *, application: Application, procedure: str, accepted_on: date, acting_user: User
) -> Application:
    """受理 of a forwarded or online application from the town's inbox: the deadlines count from today's
    acceptance, not from the forwarding."""
    locked, from_stage = lock_for(application, "accept")
    errors: dict[str, list[str]] = {}
    if accepted_on > timezone.localdate():
        errors["accepted_on"] = ["受理日期不能晚于今天。"]
    if locked.submitted_on and accepted_on < locked.submitted_on:
        errors["accepted_on"] = [f"受理日期不能早于转报日期（{locked.submitted_on.isoformat()}）。"]
    if errors:
        raise InvalidInput(errors=errors)
    move(
        locked,
        "accept",
        procedure=procedure,
        accepted_on=accepted_on,
        accepted_by=acting_user,
        **deadlines_from(accepted_on, procedure),
    )
    events.accepted(application=locked, actor=acting_user, from_stage=from_stage, procedure=procedure)
    return locked
