"""An adjustment's decision beside the current enrollment (DESIGN §3.7): per category (and member, for
特困 and 单人户低保) what the family holds now and what the re-evaluation or the decision gives, as
增发 increase / 减发 decrease / 取消 cancel / 新增 add / 不变 no_change with the monthly amounts before and
after. Applying it from the decision date is applications.services.adjustment's.

`increase` is an amount going up or a member added to a category the household already holds; `add` a
category the household does not hold (only this needs a public notice); `cancel` a category lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from households.codes import CASH_CATEGORIES, CATEGORY_LABELS, MEMBER_CATEGORIES
from households.models import Enrollment, Member
from households.selectors.households import active_enrollments

from .amounts import approved_amounts
from .glossary import Outcome
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


def recorded_rows(application: Application) -> list[AdjustmentOutcome]:
    return list(application.outcomes.select_related("member"))
