"""Filing with the bureaus and their acknowledgement, return and the town's resubmission."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from daye_relief.errors import InvalidInput

from .. import events, workflow
from ..glossary import BUREAU_CATEGORIES, SHORT_TEXT, Bureau, Outcome
from ..models import Application, CategoryDecision, Filing, Review
from ._core import lock_for, move
from .decision import Decision, decision_label, departure_words


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
    parts = departure_words(
        added=[decision_label(d.category, d.member) for d in mine if d.approved],
        refused=[decision_label(d.category, d.member) for d in mine if not d.approved],
    )
    return f"{'；'.join(parts)}。理由：{review.departure_reason}"


@transaction.atomic
def application_file(*, application: Application, filed_on: date, acting_user: User) -> Application:
    """报送备案: the civil-affairs categories to the Civil Affairs Bureau, the monitoring mark to the
    Agriculture Bureau; the overlap is marked on both, and a departure from the engine on the filing
    whose categories it concerns."""
    locked, from_stage = lock_for(application, "file")
    review = _last_review(locked)
    codes = {d.category for d in approved_decisions(locked)}
    if locked.is_adjustment:  # the bureaus learn of every category the adjustment touched
        changed = locked.outcomes.exclude(outcome=Outcome.NO_CHANGE).values_list("category", flat=True)
        codes = set(changed) or set(locked.outcomes.values_list("category", flat=True))
    overlap = "monitoring" in codes and bool(codes & set(BUREAU_CATEGORIES[Bureau.CIVIL_AFFAIRS]))
    bureaus = []
    for bureau, categories in BUREAU_CATEGORIES.items():
        mine = [code for code in categories if code in codes]
        if mine:
            bureaus.append(bureau)
            Filing.objects.create(
                application=locked,
                bureau=bureau,
                categories=mine,
                monitoring_overlap=overlap,
                departure_note=_departure_note(review, categories),
                filed_on=filed_on,
            )
    move(locked, "file")
    events.filed(
        application=locked, actor=acting_user, from_stage=from_stage, bureaus=bureaus, monitoring_mark=overlap
    )
    return locked


def _filing_locked(filing: Filing, move: str) -> tuple[Filing, str]:
    """The filing under its row lock, guarded by the filing's state machine; and the status it moves to."""
    locked = Filing.objects.select_for_update().select_related("application__household").get(pk=filing.pk)
    workflow.FILING.guard(move, locked.status)
    return locked, workflow.FILING.target(move)


@transaction.atomic
def filing_acknowledge(*, filing: Filing, acting_user: User, note: str = "") -> Filing:
    """The bureau acknowledges the filing (备案; 标识 for monitoring). The household has been enrolled since
    the town's approval (DESIGN §3.7); acknowledging records the filing and changes no enrollment."""
    if len(note) > SHORT_TEXT:
        raise InvalidInput(errors={"note": [f"不能超过{SHORT_TEXT}个字。"]})
    locked, to = _filing_locked(filing, "acknowledge")
    locked.status, locked.acted_by, locked.acted_at, locked.note = (
        to,
        acting_user,
        timezone.now(),
        note.strip(),
    )
    locked.save(update_fields=["status", "acted_by", "acted_at", "note"])
    application = locked.application
    events.filing_acknowledged(application=application, actor=acting_user, bureau=locked.bureau)
    return locked


@transaction.atomic
def filing_return(*, filing: Filing, acting_user: User, note: str) -> Filing:
    """The bureau returns the filing for correction, with what to correct."""
    if not note.strip():
        raise InvalidInput(errors={"note": ["请写明需要更正的内容。"]})
    if len(note) > SHORT_TEXT:
        raise InvalidInput(errors={"note": [f"不能超过{SHORT_TEXT}个字。"]})
    locked, to = _filing_locked(filing, "return")
    locked.status, locked.acted_by, locked.acted_at, locked.note = (
        to,
        acting_user,
        timezone.now(),
        note.strip(),
    )
    locked.save(update_fields=["status", "acted_by", "acted_at", "note"])
    application = locked.application
    events.filing_returned(
        application=application, actor=acting_user, bureau=locked.bureau, note=note.strip()
    )
    return locked


@transaction.atomic
def filing_resubmit(*, filing: Filing, acting_user: User, note: str) -> Filing:
    """The town corrects a returned filing and sends it again."""
    if not note.strip():
        raise InvalidInput(errors={"note": ["请写明已更正的内容。"]})
    if len(note) > SHORT_TEXT:
        raise InvalidInput(errors={"note": [f"不能超过{SHORT_TEXT}个字。"]})
    locked, to = _filing_locked(filing, "resubmit")
    locked.status, locked.acted_by, locked.acted_at = to, None, None
    locked.filed_on = timezone.localdate()
    locked.save(update_fields=["status", "acted_by", "acted_at", "filed_on"])
    application = locked.application
    events.filing_resubmitted(
        application=application, actor=acting_user, bureau=locked.bureau, note=note.strip()
    )
    return locked
