"""The town's approval enrolls the household (DESIGN §3.7): every approved category is enrolled from the
approval date, 特困 and 单人户低保 per approved member, through the one writer of enrollments
(households.services.enrollments), with the amounts of applications.amounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from accounts.models import User
from households.codes import CASH_CATEGORIES, MEMBER_CATEGORIES
from households.models import Enrollment
from households.services.enrollments import enrollment_start

from ..amounts import approved_amounts
from ..models import Application, CategoryDecision


def enrollments_start_on_approval(
    *, application: Application, decisions: Sequence[CategoryDecision], start: date, acting_user: User
) -> list[Enrollment]:
    """Starts an enrollment per approved category (per approved member for 特困 and 单人户低保)."""
    approved = [d for d in decisions if d.approved]
    amounts = approved_amounts(application, approved)
    started = []
    for decision in approved:
        ref = str(decision.member_id) if decision.category in MEMBER_CATEGORIES else None
        started.append(
            enrollment_start(
                household=application.household,
                category=decision.category,
                member=decision.member if ref else None,
                start=start,
                monthly_amount=amounts.get((decision.category, ref))
                if decision.category in CASH_CATEGORIES
                else None,
                acting_user=acting_user,
            )
        )
    return started
