"""Writes of social forces (DESIGN §3.8): register projects and volunteers, record a household's need,
match it to a project or volunteer of the same need kind serving the household's town, and record the
help given — an assistance record of kind 社会力量帮扶 on the member, through households' own service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import OrgUnit, User
from daye_relief.errors import DomainError, InvalidInput, InvalidTransition
from households.glossary import AssistanceKind, AssistanceSource, NeedKind
from households.models import Household, Member
from households.services.assistance import assistance_record_create

from .glossary import MatchStatus, NeedStatus
from .models import HouseholdNeed, NeedMatch, SocialResource

RESOURCE_FIELDS = ("kind", "name", "organization", "need_kind", "offer", "contact", "active")


class SocialForcesRefused(DomainError):
    code = "social_forces_refused"


def _user(acting_user: User) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def _save(
    obj: Any, acting_user: User, fields: list[str] | None = None, exclude: list[str] | None = None
) -> None:
    obj._history_user = _user(acting_user)
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
        raise InvalidInput(errors=errors, field=next((f for f in errors if f != "__all__"), None)) from None
    obj.save(update_fields=fields)


def _towns(towns: Iterable[OrgUnit]) -> list[OrgUnit]:
    towns = list(towns)
    if not towns:
        raise SocialForcesRefused("请选择服务的镇。", code="towns_required", field="towns")
    if any(town.kind != "town" for town in towns):
        raise SocialForcesRefused("服务范围只能选择镇。", code="towns_invalid", field="towns")
    return towns


@transaction.atomic
def social_resource_register(
    *, data: dict[str, Any], towns: Iterable[OrgUnit], acting_user: User
) -> SocialResource:
    resource = SocialResource(**{k: data[k] for k in RESOURCE_FIELDS if k in data})
    resource.registered_by = _user(acting_user)
    chosen = _towns(towns)
    _save(resource, acting_user, exclude=["registered_by"])
    resource.towns.set(chosen)
    return resource


@transaction.atomic
def social_resource_update(
    *, resource: SocialResource, data: dict[str, Any], towns: Iterable[OrgUnit], acting_user: User
) -> SocialResource:
    locked = SocialResource.objects.select_for_update().get(pk=resource.pk)
    for key in RESOURCE_FIELDS:
        if key in data:
            setattr(locked, key, data[key])
    chosen = _towns(towns)
    _save(locked, acting_user, exclude=["registered_by"])
    locked.towns.set(chosen)
    return locked


@transaction.atomic
def need_record(
    *,
    household: Household,
    member: Member | None,
    kind: str,
    description: str,
    acting_user: User,
    on: date | None = None,
) -> HouseholdNeed:
    if kind not in NeedKind.values:
        raise SocialForcesRefused("请选择需求类型。", code="kind_invalid", field="kind")
    if member is not None and (member.household_id != household.pk or not member.is_active):
        raise SocialForcesRefused("该成员不是本户在户成员。", code="member_not_in_household", field="member")
    description = (description or "").strip()
    if not description:
        raise SocialForcesRefused("请写明需求。", code="description_required", field="description")
    need = HouseholdNeed(
        household=household,
        member=member,
        kind=kind,
        description=description,
        recorded_on=on or timezone.localdate(),
        recorded_by=_user(acting_user),
    )
    _save(need, acting_user, exclude=["household", "member", "recorded_by"])
    return need


def serves(resource: SocialResource, household: Household) -> bool:
    town_id = household.village.parent_id
    return town_id is not None and resource.towns.filter(pk=town_id).exists()


@transaction.atomic
def need_match(*, need: HouseholdNeed, resource: SocialResource, acting_user: User) -> NeedMatch:
    """Matches a need to a project or volunteer of the same need kind that serves the household's town."""
    locked = HouseholdNeed.objects.select_for_update().select_related("household__village").get(pk=need.pk)
    if locked.status in (NeedStatus.MET, NeedStatus.CLOSED):
        raise InvalidTransition(f"该需求{locked.get_status_display()}，不能再对接。", code="need_done")
    if not resource.active:
        raise SocialForcesRefused(f"“{resource.name}”已停止服务。", code="resource_inactive")
    if resource.need_kind != locked.kind:
        raise SocialForcesRefused(
            f"“{resource.name}”提供{resource.get_need_kind_display()}，与需求类型“{locked.get_kind_display()}”不符。",
            code="kind_mismatch",
        )
    if not serves(resource, locked.household):
        raise SocialForcesRefused(f"“{resource.name}”不在该户所在镇服务。", code="area_mismatch")
    match = NeedMatch(
        need=locked, resource=resource, matched_on=timezone.localdate(), matched_by=_user(acting_user)
    )
    match._history_user = _user(acting_user)  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise SocialForcesRefused(f"该需求已对接“{resource.name}”。", code="already_matched") from None
    if locked.status == NeedStatus.OPEN:
        locked.status = NeedStatus.MATCHED
        _save(locked, acting_user, ["status"], exclude=["household", "member", "recorded_by"])
    return match


@transaction.atomic
def help_given_record(
    *,
    match: NeedMatch,
    received_on: date,
    amount: Decimal | None,
    note: str,
    acting_user: User,
    member: Member | None = None,
) -> NeedMatch:
    """Records the help a matched project or volunteer gave: an assistance record (社会力量帮扶) on the
    need's member (or `member`, or the household's applicant), the match helped, the need met."""
    locked = (
        NeedMatch.objects.select_for_update()
        .select_related("need__household__village", "resource")
        .get(pk=match.pk)
    )
    if locked.status != MatchStatus.PROPOSED:
        raise InvalidTransition(f"该对接{locked.get_status_display()}。", code="match_not_open")
    need = locked.need
    household = need.household
    member = member or need.member or household.members.filter(is_active=True, relation="applicant").first()
    if member is None:
        raise SocialForcesRefused("请选择受助成员。", code="member_required", field="member")
    text = f"{locked.resource.name}：{note.strip()}" if note.strip() else locked.resource.name
    record = assistance_record_create(
        household=household,
        member=member,
        kind=AssistanceKind.SOCIAL_HELP,
        received_on=received_on,
        amount=amount,
        note=text[:200],
        acting_user=acting_user,
        source=AssistanceSource.SOCIAL_FORCES,
    )
    locked.status, locked.help_record = MatchStatus.HELPED, record
    locked._history_user = _user(acting_user)  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "help_record"])
    need = HouseholdNeed.objects.select_for_update().get(pk=need.pk)
    need.status = NeedStatus.MET
    _save(need, acting_user, ["status"], exclude=["household", "member", "recorded_by"])
    return locked


@transaction.atomic
def need_close(*, need: HouseholdNeed, acting_user: User) -> HouseholdNeed:
    """Closes a need nobody will meet (moved, no longer needed); its open matches are cancelled."""
    locked = HouseholdNeed.objects.select_for_update().get(pk=need.pk)
    if locked.status in (NeedStatus.MET, NeedStatus.CLOSED):
        raise InvalidTransition(f"该需求{locked.get_status_display()}。", code="need_done")
    for match in locked.matches.select_for_update().filter(status=MatchStatus.PROPOSED):
        match.status = MatchStatus.CANCELLED
        match._history_user = _user(acting_user)  # type: ignore[attr-defined]
        match.save(update_fields=["status"])
    locked.status = NeedStatus.CLOSED
    _save(locked, acting_user, ["status"], exclude=["household", "member", "recorded_by"])
    return locked
