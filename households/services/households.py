"""Writes to household records. Views and API serializers call these; the rules live here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from accounts.access import household_read_filter
from accounts.models import OrgUnit, User
from daye_relief.errors import DomainError, InvalidInput

from .. import events
from ..glossary import ParentsStatus, Relation
from ..idnumbers import InvalidIdNumber, mask, parse
from ..models import Household, Member
from ..selectors.households import active_enrollments

HOUSEHOLD_FIELDS = ("village", "hukou_type", "address", "phone", "note")
MEMBER_FIELDS = (
    "name",
    "id_number",
    "relation",
    "lives_together",
    "shares_finances",
    "marital_status",
    "full_time_student",
    "education_level",
    "disability_grade",
    "disability_type",
    "serious_illness",
    "labor_capacity",
    "imprisoned",
    "full_civil_capacity",
    "parents_status",
    "parents_evidence",
    "phone",
)


# Said to a user whose scope does not cover the household where the person is registered: nothing about
# where (town, village, household number, surname), only whom to ask.
REGISTERED_ELSEWHERE = "该身份证号码已在其他家庭登记，请联系市民政局核实。"


def _full_clean(obj: models.Model, **kwargs: Any) -> None:
    """The model's own checks (lengths, choices, required fields) as the domain error of a bad input."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        errors = exc.message_dict
        raise InvalidInput(errors=errors, field=next((f for f in errors if f != "__all__"), None)) from None


def _next_household_number(village: OrgUnit) -> str:
    """The village code and a 4-digit sequence. The caller holds a lock on the village row."""
    numbers = Household.objects.filter(household_number__startswith=f"{village.code}-").values_list(
        "household_number", flat=True
    )
    highest = max((int(n.rsplit("-", 1)[1]) for n in numbers if n.rsplit("-", 1)[1].isdigit()), default=0)
    return f"{village.code}-{highest + 1:04d}"


@transaction.atomic
def household_create(
    *, village: OrgUnit, hukou_type: str, address: str, phone: str = "", note: str = ""
) -> Household:
    if village.kind != "village":
        raise InvalidInput("请选择一个村(居)。", field="village")
    OrgUnit.objects.select_for_update().filter(pk=village.pk).first()
    household = Household(
        village=village,
        hukou_type=hukou_type,
        address=address,
        phone=phone,
        note=note,
        household_number=_next_household_number(village),
    )
    _full_clean(household)
    household.save()
    return household


@transaction.atomic
def household_update(*, household: Household, data: dict[str, Any]) -> Household:
    before = Household.objects.filter(pk=household.pk).values_list("village__parent_id", flat=True)
    town_before = before.first()
    for name in HOUSEHOLD_FIELDS:
        if name in data:
            setattr(household, name, data[name])
    _full_clean(household)
    household.save()
    if household.village.parent_id != town_before:
        events.household_moved(household)
    return household


def _where_is(member: Member, acting_user: User) -> str:
    """Where the person is already registered, told only to a user who may read that household."""
    if not Household.objects.filter(household_read_filter(acting_user), pk=member.household_id).exists():
        return REGISTERED_ELSEWHERE
    village = member.household.village
    town = village.parent.name if village.parent else ""
    return (
        f"该身份证号码（{mask(member.id_number)}）已登记在{town}{village.name}"
        f"户编号 {member.household.household_number} 的家庭中（{member.name[0]}**），"
        "同一人只能在一个在册家庭中登记。"
    )


def member_check(*, household: Household, member: Member, acting_user: User) -> None:
    """Every rule a member record must meet; raises InvalidInput with each message beside its field."""
    errors: dict[str, list[str]] = {}
    code = "invalid"
    try:
        info = parse(member.id_number)
    except InvalidIdNumber as exc:
        errors.setdefault("id_number", []).append(str(exc))
    else:
        member.id_number = info.number
        member.birth_date = info.birth_date
        member.sex = info.sex
        elsewhere = (
            Member.objects.filter(id_number=info.number, is_active=True)
            .exclude(pk=member.pk)
            .select_related("household__village__parent")
            .first()
        )
        if elsewhere is not None:
            errors.setdefault("id_number", []).append(_where_is(elsewhere, acting_user))
            code = "id_number_registered"
    if member.relation == Relation.APPLICANT:
        other = (
            household.members.filter(is_active=True, relation=Relation.APPLICANT)
            .exclude(pk=member.pk)
            .first()
        )
        if other is not None:
            errors.setdefault("relation", []).append(
                f"该家庭已有申请人（{other.name}），一个家庭只能有一名申请人。"
            )
        if member.imprisoned:
            errors.setdefault("imprisoned", []).append("服刑人员不能作为申请人。")
    if (member.disability_grade is None) != (not member.disability_type):
        errors.setdefault("disability_type", []).append("残疾类别和残疾等级需同时填写或同时留空。")
    if member.full_time_student and not member.education_level:
        errors.setdefault("education_level", []).append("全日制在校学生请填写在读学历。")
    if member.parents_status == ParentsStatus.UNABLE and not member.parents_evidence:
        errors.setdefault("parents_evidence", []).append(
            "选择了“父母均已死亡、失踪或无抚养能力”，请选择对应的证明材料。"
        )
    if member.parents_evidence and member.parents_status != ParentsStatus.UNABLE:
        errors.setdefault("parents_status", []).append(
            "填写了父母情况证明材料，请将父母抚养能力选为“父母均已死亡、失踪或无抚养能力”。"
        )
    if member.education_level and not member.full_time_student:
        errors.setdefault("full_time_student", []).append("填写了在读学历，请勾选“全日制在校学生”。")
    if errors:
        raise InvalidInput(errors=errors, field=next(iter(errors)), code=code)


def _save_member(member: Member) -> Member:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        # Another clerk saved the same person a moment ago: the partial unique index caught it.
        raise InvalidInput(
            "该身份证号码刚刚已被登记到其他家庭，请刷新后核对。",
            field="id_number",
            code="id_number_registered",
        ) from None
    return member


@transaction.atomic
def member_create(*, household: Household, data: dict[str, Any], acting_user: User) -> Member:
    member = Member(household=household, **{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    member_check(household=household, member=member, acting_user=acting_user)
    _full_clean(member, exclude=["household"], validate_constraints=False)
    return _save_member(member)


ENROLLED_USE_ADJUSTMENT = (
    "该家庭已纳入救助帮扶，成员服刑或不再共同生活（不再计入家庭成员）须通过动态调整办理"
    "（办理成员变更（动态调整）），不能直接修改成员信息。"
)


def _leaves_household(member: Member, data: dict[str, Any]) -> str | None:
    """The field by which this edit would take a counted member out of the family's count (serving a
    sentence, or neither living together nor sharing finances any more), or None. Compared with the
    stored row: a model form has already set the typed values on the instance it was given."""
    stored = Member.objects.filter(pk=member.pk).values("imprisoned", "lives_together", "shares_finances")
    before = stored.first()
    if before is None:
        return None
    if data.get("imprisoned") and not before["imprisoned"]:
        return "imprisoned"
    counted = before["lives_together"] or before["shares_finances"]
    lives = data.get("lives_together", before["lives_together"])
    shares = data.get("shares_finances", before["shares_finances"])
    if counted and not (lives or shares):
        return "lives_together"
    return None


@transaction.atomic
def member_update(
    *, member: Member, data: dict[str, Any], acting_user: User, for_adjustment: bool = False
) -> Member:
    """Changes the given fields; an ID number left blank keeps the stored one (a role that sees IDs
    masked is never shown the full number, so it cannot send it back). On an enrolled household a
    member is never marked as serving a sentence or as no longer living with the family by an edit: that
    is a member change of an adjustment case (code `enrolled_use_adjustment`). The adjustment itself
    applies its change with `for_adjustment=True`."""
    leaving = _leaves_household(member, data)
    if leaving is not None and not for_adjustment:
        Household.objects.select_for_update().filter(pk=member.household_id).first()
        if active_enrollments().filter(household_id=member.household_id).exists():
            raise DomainError(ENROLLED_USE_ADJUSTMENT, code="enrolled_use_adjustment", field=leaving)
    for name in MEMBER_FIELDS:
        if name in data and not (name == "id_number" and not data[name]):
            setattr(member, name, data[name])
    member_check(household=member.household, member=member, acting_user=acting_user)
    _full_clean(member, exclude=["household"], validate_constraints=False)
    return _save_member(member)


@transaction.atomic
def member_remove(*, member: Member, reason: str = "", acting_user: User | None = None) -> Member:
    """Takes a member out of the household (a mistaken entry, a death, a move): the row and its history
    stay, the person no longer counts and may be entered in another household. Whether an open case
    forbids it is the case side's rule (applications.services), which calls this once it has checked."""
    locked = Member.objects.select_for_update().get(pk=member.pk)
    locked.is_active = False
    locked._change_reason = reason[:100]  # type: ignore[attr-defined]  # simple-history's change reason
    if acting_user is not None:  # history names the person also outside a request (a task, a command)
        locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["is_active"])
    return locked


@transaction.atomic
def household_record_save(*, household: Household, record: models.Model) -> models.Model:
    """Saves one of the household's own records, as its form checked it: an income (which belongs to a
    member of this household), an asset, a rigid expense or an outside supporter (which belong to the
    household itself). The history keeps every version."""
    if hasattr(record, "member_id"):
        if not household.members.filter(pk=record.member_id).exists():
            raise InvalidInput("请选择本户的家庭成员。", field="member")
    else:
        record.household = household  # type: ignore[attr-defined]
    record.save()
    return record


@transaction.atomic
def household_record_delete(*, household: Household, record: models.Model) -> bool:
    """Deletes one of the household's records; the history keeps what it was and who deleted it."""
    owner = record.member.household_id if hasattr(record, "member_id") else record.household_id  # type: ignore[attr-defined]
    if owner != household.pk:
        raise InvalidInput("该记录不属于这个家庭。")
    record.delete()
    return True
