"""The collective review (集体研判): a decision per category, its departures from the engine, and an
adjustment's rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from daye_relief.errors import InvalidInput
from households.glossary import GRADUAL_EXIT_CATEGORIES, Category
from households.models import Household, Member

from .. import events
from ..adjustment_outcomes import compare
from ..glossary import LONG_TEXT, SHORT_TEXT, DeadlineFlag, Outcome, Stage
from ..models import Application, CategoryDecision, Review
from ._core import check_lengths, lock_for, move
from .adjustment import adjustment_apply
from .enrollment import enrollments_start_on_approval


@dataclass(frozen=True)
class Decision:
    category: str
    approved: bool
    reason: str
    member: Member | None = None


def decision_label(category: str, member: Member | None) -> str:
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
    return departure_words(
        added=[
            decision_label(d.category, d.member)
            for d in decisions
            if d.approved and engine_found(result, d.category, d.member) is False
        ],
        refused=[
            decision_label(d.category, d.member)
            for d in decisions
            if not d.approved and engine_found(result, d.category, d.member)
        ],
    )


def departure_words(*, added: list[str], refused: list[str]) -> list[str]:
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
    acting_user: User,
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
    locked, from_stage = lock_for(application, "decide")
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
    check_lengths(
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
    move(locked, "decide", to=Stage.APPROVED if approved else Stage.REJECTED, **fields)
    events.decided(
        application=locked,
        actor=acting_user,
        from_stage=from_stage,
        approved=approved,
        reason=reason.strip(),
        decisions=recorded,
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
