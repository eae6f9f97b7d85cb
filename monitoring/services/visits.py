"""Writes on visits (巡访, DESIGN §3.6): record a visit (any item not secure raises `visit_concern`), and
the weekly job that lists the overdue visits per village."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import can_open_adjustment_from_visit, can_record_visit
from accounts.models import User
from applications.glossary import Trigger
from applications.models import Application
from applications.services import adjustment_open
from daye_relief.errors import Forbidden, InvalidInput, InvalidTransition
from households.models import Household

from ..glossary import VISIT_ITEMS, Assurance, VisitMethod
from ..models import OverdueVisitSummary, Visit
from ..selectors.visits import OVERDUE, schedules
from .warnings import warning_raise_for_visit


def _clean(text: str | None) -> str:
    return (text or "").strip()


@transaction.atomic
def visit_record(
    *,
    household: Household,
    visited_on: date,
    method: str,
    visitors: str,
    items: dict[str, tuple[str, str]],
    acting_user: User,
    note: str = "",
    today: date | None = None,
) -> Visit:
    """Records a visit. `items` maps each of the six item keys (glossary.VISIT_ITEMS) to (status, note);
    an item not secure needs a note saying what is wrong. Any item not secure raises one `visit_concern`
    warning for the household's town, due 5 working days later."""
    today = today or timezone.localdate()
    household = Household.objects.select_related("village__parent").get(pk=household.pk)
    if not can_record_visit(acting_user, household):
        raise Forbidden("您不能为该家庭录入巡访记录。")
    errors: dict[str, list[str]] = {}
    if visited_on > today:
        errors["visited_on"] = ["巡访日期不能晚于今天。"]
    if method not in VisitMethod.values:
        errors["method"] = ["请选择巡访方式。"]
    visitors = _clean(visitors)
    if not visitors:
        errors["visitors"] = ["请填写巡访人员。"]
    elif len(visitors) > 200:
        errors["visitors"] = ["巡访人员不超过200字。"]
    values: dict[str, str] = {}
    for key, label in VISIT_ITEMS:
        status, item_note = items.get(key, ("", ""))
        item_note = _clean(item_note)
        if status not in Assurance.values:
            errors[key] = [f"请选择“{label}”是否有保障。"]
        elif status == Assurance.NOT_SECURE and not item_note:
            errors[f"{key}_note"] = [f"“{label}”无保障，请说明具体情况。"]
        if len(item_note) > 300:
            errors[f"{key}_note"] = ["说明不超过300字。"]
        values[key], values[f"{key}_note"] = status, item_note
    note = _clean(note)
    if len(note) > 500:
        errors["note"] = ["其他情况不超过500字。"]
    if errors:
        raise InvalidInput(errors=errors)
    visit = Visit(
        household=household,
        visited_on=visited_on,
        method=method,
        visitors=visitors,
        note=note,
        recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
        **values,
    )
    visit._history_user = visit.recorded_by  # type: ignore[attr-defined]
    visit.save()
    warning_raise_for_visit(visit=visit, today=today)
    return visit


def week_of(day: date) -> date:
    """The Monday of `day`'s week: the key of the weekly job."""
    return day - timedelta(days=day.weekday())


@transaction.atomic
def overdue_visits_summarize(*, on: date) -> int:
    """The weekly job (Monday 06:00): for the week of `on`, one summary per village listing its households
    whose visit is overdue on that Monday. Keyed by the week: a second run (a retry, or a run after a
    worker died half-way — the transaction leaves nothing half-written) replaces that week's summaries
    with the same result. The list is taken on the Monday itself, so a run later in the week gives the
    same answer. Returns how many households are overdue."""
    week = week_of(on)
    by_village: dict[int, list[dict[str, Any]]] = {}
    for schedule in schedules(Household.objects.all(), on=week):
        if schedule.status != OVERDUE:
            continue
        by_village.setdefault(schedule.household.village_id, []).append(
            {
                "household": schedule.household.pk,
                "household_number": schedule.household.household_number,
                "next_due": schedule.next_due.isoformat(),
                "last_visit": schedule.last_visit.isoformat() if schedule.last_visit else None,
            }
        )
    OverdueVisitSummary.objects.filter(week_of=week).exclude(village_id__in=list(by_village)).delete()
    for village_id, rows in by_village.items():
        OverdueVisitSummary.objects.update_or_create(
            week_of=week, village_id=village_id, defaults={"overdue": len(rows), "households": rows}
        )
    return sum(len(rows) for rows in by_village.values())


@transaction.atomic
def visit_open_adjustment(
    *, visit_id: int, acting_user: User, note: str = "", today: date | None = None
) -> Application:
    """The town opens an adjustment case (动态调整) from a visit that found an item not secure, through
    applications.services.adjustment_open (trigger `visit`, source `visit:<pk>`). One case per visit;
    adjustment_open refuses a household that is not enrolled or already has a case running."""
    today = today or timezone.localdate()
    visit = Visit.objects.select_related("household__village").get(pk=visit_id)
    if not can_open_adjustment_from_visit(acting_user, visit.household):
        raise Forbidden("只有家庭所在镇的社会事务办可以发起动态调整。")
    if not visit.concerns:
        raise InvalidTransition("这次巡访六项均有保障，无需动态调整。")
    source = f"visit:{visit.pk}"
    earlier = Application.objects.filter(household=visit.household, source=source).first()
    if earlier is not None:
        raise InvalidTransition(f"已根据这次巡访发起动态调整（{earlier.case_number}）。")
    text = (note or "").strip() or (
        f"{visit.visited_on.isoformat()} 巡访发现："
        + "；".join(
            f"{item['label']}无保障（{item['note']}）"
            for item in visit.items()
            if item["status"] == Assurance.NOT_SECURE
        )
    )
    return adjustment_open(
        household=visit.household,
        trigger=Trigger.VISIT,
        note=text[:1000],
        opened_on=today,
        acting_user=acting_user,
        source=source,
    )
