"""Writes on risk elimination (风险消除, DESIGN §3.7): the town's collective review (who took part, the
date, the decision per candidate), its filing with the 农业农村局, and the bureau's acknowledgement —
which ends each eliminated household's monitoring enrollment with `risk_eliminated`, through
households.services.enrollments.enrollment_end only — or its return for correction.

    decided ──file──▶ filed ──acknowledge──▶ acknowledged
                        │ ▲
                  return ▼ │ file again
                       returned
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import can_acknowledge_risk, can_decide_risk
from accounts.models import OrgUnit, User
from daye_relief.errors import Forbidden, InvalidInput, InvalidTransition
from households.glossary import EndReason
from households.models import Enrollment, Household
from households.selectors.households import enrolled_on
from households.services.enrollments import enrollment_end

from ..glossary import RiskDecisionKind
from ..models import RiskDecision, RiskReview
from ..selectors.risk import risk_candidates
from ..workflow import RISK_REVIEW


@dataclass(frozen=True)
class DecisionInput:
    household_id: int
    decision: str  # RiskDecisionKind
    reason: str = ""


def _who(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _locked(review_id: int) -> RiskReview:
    return RiskReview.objects.select_for_update().get(pk=review_id)


@transaction.atomic
def risk_review_record(
    *,
    town: OrgUnit,
    held_on: date,
    participants: str,
    decisions: list[DecisionInput],
    acting_user: User,
    note: str = "",
    today: date | None = None,
) -> RiskReview:
    """Records the town's collective review. Each decision must be about a household that is a candidate
    of this town today; a decision to keep monitoring needs a reason."""
    today = today or timezone.localdate()
    if not can_decide_risk(acting_user, town.pk):
        raise Forbidden("只有本镇工作专班或镇农办可以录入风险消除研判。")
    errors: dict[str, list[str]] = {}
    participants = (participants or "").strip()
    if not participants:
        errors["participants"] = ["请填写参加研判的人员。"]
    elif len(participants) > 1000:
        errors["participants"] = ["参加人员不超过1000字。"]
    if held_on > today:
        errors["held_on"] = ["研判日期不能晚于今天。"]
    note = (note or "").strip()[:1000]
    candidates = {s.household.pk: s for s in risk_candidates(town_ids=frozenset({town.pk}), on=today)}
    chosen = [d for d in decisions if d.decision]
    if not chosen:
        errors["decisions"] = ["请至少对一户候选家庭作出研判结论。"]
    for item in chosen:
        if item.household_id not in candidates:
            errors["decisions"] = ["所选家庭不是本镇当前的风险消除候选家庭，请刷新页面后重试。"]
        elif item.decision not in RiskDecisionKind.values:
            errors["decisions"] = ["请选择研判结论。"]
        elif item.decision == RiskDecisionKind.KEEP and not item.reason.strip():
            number = candidates[item.household_id].household.household_number
            errors["decisions"] = [f"家庭 {number} 继续监测，请写明理由。"]
    if errors:
        raise InvalidInput(errors=errors)
    review = RiskReview(
        town=town, held_on=held_on, participants=participants, note=note, created_by=_who(acting_user)
    )
    review._history_user = _who(acting_user)  # type: ignore[attr-defined]
    review.save()
    for item in chosen:
        decision = RiskDecision(
            review=review,
            household_id=item.household_id,
            basis=candidates[item.household_id].basis or "",
            decision=item.decision,
            reason=item.reason.strip()[:300],
        )
        decision._history_user = _who(acting_user)  # type: ignore[attr-defined]
        decision.save()
    return review


@transaction.atomic
def risk_review_file(*, review_id: int, acting_user: User, on: date | None = None) -> RiskReview:
    """The town files its decision with the 农业农村局 (again, after a return)."""
    review = _locked(review_id)
    if not can_decide_risk(acting_user, review.town_id):
        raise Forbidden("只有本镇工作专班或镇农办可以报备。")
    RISK_REVIEW.guard("file", review.status)
    if not review.decisions.filter(decision=RiskDecisionKind.ELIMINATE).exists():
        raise InvalidTransition("本次研判没有标注风险消除的家庭，无需报备。")
    review.status, review.filed_on = RISK_REVIEW.target("file"), on or timezone.localdate()
    review._history_user = _who(acting_user)  # type: ignore[attr-defined]
    review.save(update_fields=["status", "filed_on"])
    return review


@transaction.atomic
def risk_review_return(*, review_id: int, note: str, acting_user: User) -> RiskReview:
    review = _locked(review_id)
    if not can_acknowledge_risk(acting_user):
        raise Forbidden("只有市农业农村局可以退回。")
    RISK_REVIEW.guard("return", review.status)
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请写明退回补正的意见。", field="note")
    review.status, review.return_note = RISK_REVIEW.target("return"), note[:1000]
    review._history_user = _who(acting_user)  # type: ignore[attr-defined]
    review.save(update_fields=["status", "return_note"])
    return review


@transaction.atomic
def risk_review_acknowledge(*, review_id: int, acting_user: User, on: date | None = None) -> RiskReview:
    """The 农业农村局 acknowledges: from `on`, every household the review eliminated is no longer enrolled
    in monitoring (reason `risk_eliminated`). A monitoring enrollment that already ended (a death, say)
    is left as it is."""
    on = on or timezone.localdate()
    review = _locked(review_id)
    if not can_acknowledge_risk(acting_user):
        raise Forbidden("只有市农业农村局可以确认风险消除。")
    RISK_REVIEW.guard("acknowledge", review.status)
    if on < review.held_on:
        raise InvalidInput("确认日期不能早于研判日期。", field="on")
    for decision in review.decisions.filter(decision=RiskDecisionKind.ELIMINATE).select_related("household"):
        household: Household = decision.household
        enrollment = (
            Enrollment.objects.filter(
                enrolled_on(on), household=household, category="monitoring", member__isnull=True
            )
            .order_by("start_date")
            .first()
        )
        if enrollment is not None:
            enrollment_end(
                enrollment=enrollment, on=on, reason=EndReason.RISK_ELIMINATED, acting_user=acting_user
            )
        decision.ended_on = on if enrollment is not None else None
        decision._history_user = _who(acting_user)  # type: ignore[attr-defined]
        decision.save(update_fields=["ended_on"])
    review.status, review.acknowledged_on = RISK_REVIEW.target("acknowledge"), on
    review.acknowledged_by = _who(acting_user)
    review._history_user = _who(acting_user)  # type: ignore[attr-defined]
    review.save(update_fields=["status", "acknowledged_on", "acknowledged_by"])
    return review
