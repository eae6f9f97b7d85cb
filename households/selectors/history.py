"""The change history of one household: who changed which field of the household, its members, incomes,
assets, rigid expenses, outside supporters and assistance records, from what to what (simple-history
keeps every version).

A read, like the other selectors: the caller has already checked that the user may read the household. One
query per kind of record and one for the members' names, whatever the number of changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from accounts.models import OrgUnit

from ..idnumbers import mask
from ..models import Asset, AssistanceRecord, ExternalSupporter, Household, Income, Member, RigidExpense

# Fields never listed: bookkeeping, or derived from another field that is listed.
SKIPPED = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "household",
        "birth_date",
        "sex",
        # an assistance record's bookkeeping: who entered it is the change's user; where an import made it
        "recorded_by",
        "source_dataset",
        "source_import_id",
        "source_row_id",
    }
)
ID_FIELDS = frozenset({"id_number"})
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: str
    action: str
    subject: str  # e.g. "家庭成员 张三", "收入（张三 工资性收入）"
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED]


Names = dict[Any, dict[int, str]]  # related model -> id -> what to show


def _shown(f: models.Field[Any, Any], value: Any, *, full_ids: bool, names: Names) -> str:
    if value is None or value == "":
        return "—"
    if f.name in ID_FIELDS and not full_ids:
        return mask(str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(f, models.ForeignKey):
        return names.get(f.related_model, {}).get(value, f"#{value}")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _value(row: Any, f: models.Field[Any, Any]) -> Any:
    return getattr(row, f.attname)


def _subject(model: type[models.Model], row: Any, names: Names) -> str:
    if model is Household:
        return "家庭信息"
    if model is Member:
        return f"家庭成员 {row.name}"
    if model is ExternalSupporter:
        return f"家庭外法定义务人 {row.name}"
    kind = dict(model._meta.get_field("kind").flatchoices).get(row.kind, row.kind)  # type: ignore[union-attr]
    if model is Income:
        return f"收入（{names[Member].get(row.member_id, '')} {kind}）"
    return f"{model._meta.verbose_name}（{kind}）"


def _history_rows(model: type[models.Model], household: Household, member_ids: list[int]) -> list[Any]:
    history = model.history  # type: ignore[attr-defined]
    if model is Household:
        rows = history.filter(id=household.pk)
    elif model is Income:
        rows = history.filter(member_id__in=member_ids)
    else:
        rows = history.filter(household_id=household.pk)
    return list(rows.select_related("history_user").order_by("id", "history_date", "history_id"))


def household_history(*, household: Household, full_ids: bool) -> list[HistoryEntry]:
    """Every recorded change to the household and the records hanging off it, newest first; ID numbers
    masked unless the reader may see them."""
    members = dict(
        Member.history.filter(household_id=household.pk)
        .order_by("id", "history_date")
        .values_list("id", "name")
    )  # the last name each member had, also for members since removed
    member_ids = list(members)
    village_ids = set(Household.history.filter(id=household.pk).values_list("village_id", flat=True))
    names: Names = {
        Member: members,
        OrgUnit: {
            u.pk: f"{u.parent.name if u.parent else ''}{u.name}"
            for u in OrgUnit.objects.filter(pk__in=village_ids).select_related("parent")
        },
    }
    entries: list[HistoryEntry] = []
    for model in (Household, Member, Income, Asset, RigidExpense, ExternalSupporter, AssistanceRecord):
        fields = _tracked_fields(model)
        previous: Any = None
        for row in _history_rows(model, household, member_ids):
            if previous is not None and previous.id != row.id:
                previous = None
            changes = []
            action = ACTIONS.get(row.history_type, row.history_type)
            if row.history_type == "~" and previous is not None:
                for f in fields:
                    old, new = _value(previous, f), _value(row, f)
                    if old != new:
                        changes.append(
                            Change(
                                str(f.verbose_name),
                                _shown(f, old, full_ids=full_ids, names=names),
                                _shown(f, new, full_ids=full_ids, names=names),
                            )
                        )
                if not changes:
                    previous = row
                    continue  # saved without a change
                if model is Member and [c.label for c in changes] == ["在户"] and not row.is_active:
                    action = "移出"
            elif row.history_type == "+":
                changes = [
                    Change(str(f.verbose_name), "", _shown(f, _value(row, f), full_ids=full_ids, names=names))
                    for f in fields
                    if _value(row, f) not in (None, "")
                    and not (f.has_default() and _value(row, f) == f.get_default())
                ]
            entries.append(
                HistoryEntry(
                    at=row.history_date,
                    user=str(row.history_user) if row.history_user else "系统",
                    action=action,
                    subject=_subject(model, row, names),
                    changes=changes,
                    reason=row.history_change_reason or "",
                )
            )
            previous = row
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
