"""Removing a member from a household, through the case rules."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from daye_relief.errors import DomainError
from households.models import Member
from households.services import households as household_services

from .. import selectors
from ..glossary import OPEN_STAGES, Stage
from ..models import Application


@transaction.atomic
def household_member_remove(*, member: Member, reason: str, acting_user: User) -> Member:
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
