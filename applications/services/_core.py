"""What every step of the case shares: the row lock and guard, the move, case numbers, text
limits and deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import OrgUnit
from workdays.selectors import workday_calendar

from .. import workflow
from ..glossary import MATERIALS, Procedure
from ..models import Application

INVESTIGATION_DAYS = 5


REVIEW_DAYS = 3


OVERALL_DAYS = {Procedure.COMMITMENT: 10, Procedure.REGULAR: 20}


MAX_WORKING_DAYS = 45


MATERIAL_CODES = frozenset(code for code, _ in MATERIALS)


def lock_for(application: Application, action: str) -> tuple[Application, str]:
    """Re-reads the case under a row lock and checks the move against the action table (stage and
    precondition); returns it and the stage it was in."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("investigation")
        .get(pk=application.pk)
    )
    workflow.guard(action, locked)
    return locked, locked.stage


def move(application: Application, action: str, *, to: str | None = None, **fields: Any) -> None:
    """Saves the move the action table allows (`to`: the stage an action with a chosen outcome leads to);
    the service then records its event (applications.events)."""
    target = to or workflow.STEPS[action].to
    if target is not None:
        application.stage = target
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["stage", "updated_at", *fields])


def next_case_number(town: OrgUnit, year: int) -> str:
    OrgUnit.objects.select_for_update().filter(pk=town.pk).first()
    prefix = f"{town.code}-{year}-"
    last = (
        Application.objects.filter(case_number__startswith=prefix)
        .order_by("-case_number")
        .values_list("case_number", flat=True)
    ).first()
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def check_lengths(errors: dict[str, list[str]], **texts: tuple[str, int]) -> None:
    """Every typed text within its field's length (the forms say so too; this holds for any caller)."""
    for field, (text, limit) in texts.items():
        if len(text) > limit:
            errors.setdefault(field, []).append(f"不能超过{limit}个字（现有{len(text)}个字）。")


def deadlines_from(accepted_on: date, procedure: str) -> dict[str, Any]:
    calendar = workday_calendar()
    investigation = calendar.add(accepted_on, INVESTIGATION_DAYS)
    overall = calendar.add(accepted_on, OVERALL_DAYS[Procedure(procedure)])
    return {
        "investigation_due": investigation.date,
        "investigation_due_provisional": investigation.provisional,
        "overall_due": overall.date,
        "overall_due_provisional": overall.provisional,
    }
