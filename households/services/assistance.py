"""Special assistance records (DESIGN §3.8): the only code that writes them by hand.

Town staff enter what a member received (kind, date, amount or none for help in kind, note); temporary
assistance (临时救助) is entered with its reason at once and explained afterwards (小金额先行救助，事后补充
说明情况). Records made from shared data are written set-wise by monitoring.services.assistance, and
those of social help by the charities app through `assistance_record_create(source="social_forces")`.
Every write names `acting_user` in the record's history, also when a job makes it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from daye_relief.errors import DomainError, InvalidTransition

from ..glossary import AssistanceKind, AssistanceSource
from ..models import AssistanceRecord, Household, Member

REASON_MAX = 500


class AssistanceRefused(DomainError):
    code = "assistance_refused"


def _user(acting_user: User) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def _save(record: AssistanceRecord, acting_user: User, fields: list[str] | None = None) -> None:
    record._history_user = _user(acting_user)  # type: ignore[attr-defined]
    record.full_clean(validate_constraints=False, exclude=["household", "member", "recorded_by"])
    record.save(update_fields=fields)


def _check_common(*, household: Household, member: Member, received_on: date, amount: Decimal | None) -> None:
    if member.household_id != household.pk:
        raise AssistanceRefused("该成员不是本户成员。", code="member_not_in_household", field="member")
    if received_on > timezone.localdate():
        raise AssistanceRefused("救助日期不能晚于今天。", code="date_in_future", field="received_on")
    if amount is not None and amount < 0:
        raise AssistanceRefused("金额不能为负数。", code="amount_negative", field="amount")


@transaction.atomic
def assistance_record_create(
    *,
    household: Household,
    member: Member,
    kind: str,
    received_on: date,
    amount: Decimal | None,
    note: str = "",
    acting_user: User,
    source: str = AssistanceSource.MANUAL,
) -> AssistanceRecord:
    """Records help a member received. Temporary assistance has its own service (it needs a reason)."""
    if kind not in AssistanceKind.values:
        raise AssistanceRefused("请选择救助类型。", code="kind_invalid", field="kind")
    if kind == AssistanceKind.TEMPORARY:
        raise AssistanceRefused(
            "临时救助请在“临时救助”中登记，须写明救助事由。", code="temporary_has_own_form", field="kind"
        )
    if source not in (AssistanceSource.MANUAL, AssistanceSource.SOCIAL_FORCES):
        raise AssistanceRefused("部门共享数据的救助记录由导入生成。", code="source_invalid", field="source")
    _check_common(household=household, member=member, received_on=received_on, amount=amount)
    record = AssistanceRecord(
        household=household,
        member=member,
        kind=kind,
        received_on=received_on,
        amount=amount,
        note=note.strip(),
        source=source,
        recorded_by=_user(acting_user),
    )
    _save(record, acting_user)
    return record


@transaction.atomic
def temporary_assistance_grant(
    *,
    household: Household,
    member: Member,
    received_on: date,
    amount: Decimal,
    reason: str,
    acting_user: User,
) -> AssistanceRecord:
    """Temporary assistance given at once by the town: an amount and a reason; the explanation comes later
    (`temporary_assistance_explain`)."""
    if amount is None or amount <= 0:
        raise AssistanceRefused("临时救助须填写大于0的金额。", code="amount_required", field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise AssistanceRefused("请写明救助事由。", code="reason_required", field="reason")
    if len(reason) > REASON_MAX:
        raise AssistanceRefused(f"救助事由不超过{REASON_MAX}字。", code="reason_too_long", field="reason")
    _check_common(household=household, member=member, received_on=received_on, amount=amount)
    record = AssistanceRecord(
        household=household,
        member=member,
        kind=AssistanceKind.TEMPORARY,
        received_on=received_on,
        amount=amount,
        reason=reason,
        source=AssistanceSource.MANUAL,
        recorded_by=_user(acting_user),
    )
    _save(record, acting_user)
    return record


@transaction.atomic
def temporary_assistance_explain(
    *, record: AssistanceRecord, explanation: str, acting_user: User, on: date | None = None
) -> AssistanceRecord:
    """Adds the explanation afterwards (事后补充说明情况); once given it stays (history keeps changes)."""
    locked = AssistanceRecord.objects.select_for_update().get(pk=record.pk)
    if locked.kind != AssistanceKind.TEMPORARY:
        raise AssistanceRefused("只有临时救助需要事后补充说明。", code="not_temporary")
    if locked.explained_on is not None:
        raise InvalidTransition(
            f"该临时救助已于{locked.explained_on.isoformat()}补充说明。", code="already_explained"
        )
    explanation = (explanation or "").strip()
    if not explanation:
        raise AssistanceRefused("请填写情况说明。", code="explanation_required", field="explanation")
    if len(explanation) > REASON_MAX:
        raise AssistanceRefused(
            f"情况说明不超过{REASON_MAX}字。", code="explanation_too_long", field="explanation"
        )
    locked.explanation = explanation
    locked.explained_on = on or timezone.localdate()
    _save(locked, acting_user, ["explanation", "explained_on"])
    return locked


CORRECTED_FIELDS = {
    "member": "救助对象",
    "kind": "救助类型",
    "received_on": "救助日期",
    "amount": "金额",
    "note": "说明",
    "reason": "救助事由",
}
CORRECTION_REASON_MAX = 100  # simple-history keeps a change reason of at most 100 characters


@transaction.atomic
def assistance_record_correct(
    *,
    record: AssistanceRecord,
    member: Member,
    received_on: date,
    amount: Decimal | None,
    correction_reason: str,
    acting_user: User,
    kind: str | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> tuple[AssistanceRecord, list[str]]:
    """Corrects a record entered by hand: member, date, amount and the kind and note (or, for temporary
    assistance, its reason; a temporary record stays temporary and an explanation once given stays). The
    history keeps the earlier values, who corrected them and why. Returns the record and the labels of the
    fields that changed; nothing changed is refused, so the history holds no empty corrections."""
    locked = AssistanceRecord.objects.select_for_update().get(pk=record.pk)
    if locked.source != AssistanceSource.MANUAL:
        raise AssistanceRefused(
            f"来源为“{locked.get_source_display()}”的记录不能更正，请联系数据来源部门。", code="not_manual"
        )
    correction_reason = (correction_reason or "").strip()
    if not correction_reason:
        raise AssistanceRefused(
            "请写明更正原因。", code="correction_reason_required", field="correction_reason"
        )
    if len(correction_reason) > CORRECTION_REASON_MAX:
        raise AssistanceRefused(
            f"更正原因不超过{CORRECTION_REASON_MAX}字。",
            code="correction_reason_too_long",
            field="correction_reason",
        )
    _check_common(household=locked.household, member=member, received_on=received_on, amount=amount)
    values: dict[str, Any] = {"member": member, "received_on": received_on, "amount": amount}
    if locked.kind == AssistanceKind.TEMPORARY:
        if kind not in (None, AssistanceKind.TEMPORARY):
            raise AssistanceRefused("临时救助不能改为其他救助类型。", code="kind_fixed", field="kind")
        if amount is None or amount <= 0:
            raise AssistanceRefused("临时救助须填写大于0的金额。", code="amount_required", field="amount")
        reason = (reason if reason is not None else locked.reason).strip()
        if not reason:
            raise AssistanceRefused("请写明救助事由。", code="reason_required", field="reason")
        if len(reason) > REASON_MAX:
            raise AssistanceRefused(f"救助事由不超过{REASON_MAX}字。", code="reason_too_long", field="reason")
        values["reason"] = reason
    else:
        kind = kind if kind is not None else locked.kind
        if kind not in AssistanceKind.values:
            raise AssistanceRefused("请选择救助类型。", code="kind_invalid", field="kind")
        if kind == AssistanceKind.TEMPORARY:
            raise AssistanceRefused(
                "临时救助须写明事由，请删除本条后在“临时救助”中登记。",
                code="temporary_has_own_form",
                field="kind",
            )
        values["kind"] = kind
        values["note"] = (note if note is not None else locked.note).strip()
    changed = [
        CORRECTED_FIELDS[name]
        for name, value in values.items()
        if (locked.member_id != value.pk if name == "member" else getattr(locked, name) != value)
    ]
    if not changed:
        raise AssistanceRefused("没有修改任何内容。", code="nothing_changed")
    for name, value in values.items():
        setattr(locked, name, value)
    locked._change_reason = f"更正：{correction_reason}"[:CORRECTION_REASON_MAX]  # type: ignore[attr-defined]
    _save(locked, acting_user, list(values))
    return locked, changed


@transaction.atomic
def assistance_record_delete(*, record: AssistanceRecord, acting_user: User) -> str:
    """Removes a record entered by hand by mistake (the history keeps it and names who removed it); returns
    what was removed, in words. A record made from shared data is the department's and one of social help
    belongs to its match: neither is removed here."""
    locked = AssistanceRecord.objects.select_for_update().get(pk=record.pk)
    if locked.source != AssistanceSource.MANUAL:
        raise AssistanceRefused(f"来源为“{locked.get_source_display()}”的记录不能删除。", code="not_manual")
    label = f"{locked.member.name}{locked.received_on.isoformat()}的{locked.get_kind_display()}"
    locked._history_user = _user(acting_user)  # type: ignore[attr-defined]
    locked.delete()
    return label
