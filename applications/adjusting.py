"""An adjustment's decision beside the current enrollment (DESIGN §3.7): per category (and member, for
特困 and 单人户低保) what the family holds now and what the re-evaluation or the decision gives, as
增发 increase / 减发 decrease / 取消 cancel / 新增 add / 不变 no_change with the monthly amounts before and
after; and its application from the decision date through households.enrollments, the one writer of
enrollments.

`increase` is an amount going up or a member added to a category the household already holds; `add` a
category the household does not hold (only this needs a public notice); `cancel` a category lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from eligibility.selectors import ParameterTable
from households.codes import CASH_CATEGORIES, CATEGORY_LABELS, GRADUAL_EXIT_CATEGORIES, MEMBER_CATEGORIES
from households.enrollments import (
    enrollment_amount_set,
    enrollment_end,
    enrollment_start,
    gradual_exit_grant,
)
from households.models import Enrollment, Member
from households.selectors import active_enrollments

from .enrolling import approved_amounts
from .glossary import CHANGE_END_REASONS, REMOVING_CHANGES, Outcome
from .models import AdjustmentOutcome, Application

Key = tuple[str, int | None]  # (category, member id or None)


@dataclass(frozen=True)
class _Approved:
    """What approved_amounts reads of a decision."""

    category: str
    member_id: int | None


@dataclass(frozen=True)
class Row:
    category: str
    member: Member | None
    enrolled_before: bool
    enrolled_after: bool
    before: Decimal | None
    after: Decimal | None
    outcome: str
    enrollment: Enrollment | None = None

    @property
    def label(self) -> str:
        name = CATEGORY_LABELS.get(self.category, self.category)
        return f"{name}（{self.member.name}）" if self.member is not None else name

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def pays_cash(self) -> bool:
        return self.category in CASH_CATEGORIES


def current_enrollments(application: Application, on: date) -> dict[Key, Enrollment]:
    """The household's enrollments active on `on`, keyed by category and member."""
    rows = active_enrollments(on).filter(household_id=application.household_id).select_related("member")
    return {(e.category, e.member_id): e for e in rows}


def _outcome(
    before: Enrollment | None, after: bool, amount: Decimal | None, held: set[str], code: str
) -> str:
    if before is not None and not after:
        return Outcome.CANCEL
    if before is None:
        return Outcome.INCREASE if code in held else Outcome.ADD
    if code in CASH_CATEGORIES and amount is not None and before.monthly_amount is not None:
        if amount > before.monthly_amount:
            return Outcome.INCREASE
        if amount < before.monthly_amount:
            return Outcome.DECREASE
    return Outcome.NO_CHANGE


def compare(application: Application, approved: Iterable[Key], *, on: date) -> list[Row]:
    """Every category (and member) held now or approved, with its outcome and amounts."""
    current = current_enrollments(application, on)
    wanted = list(dict.fromkeys(approved))
    amounts = approved_amounts(application, [_Approved(c, m) for c, m in wanted])  # type: ignore[misc]
    held = {code for code, _ in current}
    members = {m.pk: m for m in Member.objects.filter(household_id=application.household_id)}
    rows = []
    for key in list(current) + [k for k in wanted if k not in current]:
        code, member_id = key
        enrollment = current.get(key)
        after = key in wanted
        amount = None
        if after and code in CASH_CATEGORIES:
            ref = str(member_id) if code in MEMBER_CATEGORIES else None
            amount = amounts.get((code, ref), enrollment.monthly_amount if enrollment else None)
        rows.append(
            Row(
                category=code,
                member=members.get(member_id) if member_id else None,
                enrolled_before=enrollment is not None,
                enrolled_after=after,
                before=enrollment.monthly_amount if enrollment is not None else None,
                after=amount,
                outcome=_outcome(enrollment, after, amount, held, code),
                enrollment=enrollment,
            )
        )
    order = list(CATEGORY_LABELS)
    return sorted(rows, key=lambda r: (order.index(r.category) if r.category in order else 99, r.label))


def proposed_keys(application: Application) -> list[Key]:
    """What the re-evaluation of the investigation proposes (the engine's result)."""
    result = application.assessment.result if application.assessment else {}
    keys: list[Key] = [(c, None) for c in result.get("categories", []) if c not in MEMBER_CATEGORIES]
    for member in result.get("members", []):
        keys += [(c, int(member["ref"])) for c in member.get("categories", []) if c in MEMBER_CATEGORIES]
    return keys


def proposed_comparison(application: Application, *, on: date) -> list[Row]:
    """The current enrollment beside the re-evaluation, as the decision page shows it."""
    return compare(application, proposed_keys(application), on=on)


def adds_category(rows: Sequence[Row]) -> bool:
    """Whether a category the household does not hold is added: only then a public notice (§3.7)."""
    return any(row.outcome == Outcome.ADD for row in rows)


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
    *, application: Application, approved: Iterable[Key], on: date, gradual_exit: bool, acting_user: Any
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


def recorded_rows(application: Application) -> list[AdjustmentOutcome]:
    return list(application.outcomes.select_related("member"))
