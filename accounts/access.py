"""The one place that answers "may this user see / change this object".

Every view, API endpoint and export asks here; nothing else decides access. Scope follows DESIGN §2:
town roles see their town's villages, village staff their own village, the two bureaus the whole city.
The administrator manages people, places and calendars, not households; a department user sees only
what its referrals and uploads name (none yet), so neither sees households here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from .glossary import Role

if TYPE_CHECKING:
    from households.models import Household

    from .models import OrgUnit, User

TOWN_READ_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.TASK_FORCE})
CITY_READ_ROLES = frozenset({Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER})
# Roles whose work needs full ID numbers (matching checks and shared data); everyone else sees them masked.
FULL_ID_ROLES = frozenset(
    {Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER}
)


@dataclass(frozen=True)
class Scope:
    """What one user's roles reach, read once per request."""

    roles: frozenset[str] = frozenset()
    read_towns: frozenset[int] = frozenset()
    read_villages: frozenset[int] = frozenset()
    write_towns: frozenset[int] = frozenset()
    write_villages: frozenset[int] = frozenset()
    whole_city: bool = False
    assignments: tuple[tuple[str, int], ...] = field(default=())

    @property
    def reads_any_household(self) -> bool:
        return self.whole_city or bool(self.read_towns or self.read_villages)


def scope_of(user: User | Any) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_daye_scope", None)
    if cached is not None:
        return cached
    pairs = tuple(user.role_assignments.values_list("role", "org_unit_id"))
    roles = frozenset(role for role, _ in pairs)
    scope = Scope(
        roles=roles,
        read_towns=frozenset(unit for role, unit in pairs if role in TOWN_READ_ROLES),
        read_villages=frozenset(unit for role, unit in pairs if role == Role.VILLAGE_STAFF),
        write_towns=frozenset(unit for role, unit in pairs if role == Role.TOWN_CLERK),
        write_villages=frozenset(unit for role, unit in pairs if role == Role.VILLAGE_STAFF),
        whole_city=bool(roles & CITY_READ_ROLES),
        assignments=pairs,
    )
    setattr(user, "_daye_scope", scope)  # noqa: B010
    return scope


def has_role(user: User | Any, *roles: str) -> bool:
    return bool(scope_of(user).roles & set(roles))


# Households ---------------------------------------------------------------------------------------


def household_read_filter(user: User | Any, prefix: str = "") -> Q:
    """A filter on Household (or, with a prefix such as "household__", on what points to one) that keeps
    exactly the households this user may read."""
    scope = scope_of(user)
    if scope.whole_city:
        return Q()
    if not scope.reads_any_household:
        return Q(pk__in=[])
    return Q(**{f"{prefix}village__parent_id__in": scope.read_towns}) | Q(
        **{f"{prefix}village_id__in": scope.read_villages}
    )


def _in_village_scope(
    village_id: int, town_id: int | None, towns: frozenset[int], villages: frozenset[int]
) -> bool:
    return village_id in villages or (town_id is not None and town_id in towns)


def can_change_household(user: User | Any, household: Household) -> bool:
    return can_create_household_in(user, household.village)


def can_create_household_in(user: User | Any, village: OrgUnit) -> bool:
    scope = scope_of(user)
    return _in_village_scope(village.pk, village.parent_id, scope.write_towns, scope.write_villages)


def can_create_households(user: User | Any) -> bool:
    scope = scope_of(user)
    return bool(scope.write_towns or scope.write_villages)


def villages_writable_filter(user: User | Any) -> Q:
    """A filter on OrgUnit (villages) where this user may create households."""
    scope = scope_of(user)
    return Q(kind="village") & (Q(parent_id__in=scope.write_towns) | Q(pk__in=scope.write_villages))


def villages_readable_filter(user: User | Any) -> Q:
    scope = scope_of(user)
    if scope.whole_city:
        return Q(kind="village")
    return Q(kind="village") & (Q(parent_id__in=scope.read_towns) | Q(pk__in=scope.read_villages))


def sees_full_id_numbers(user: User | Any) -> bool:
    return bool(scope_of(user).roles & FULL_ID_ROLES)


# Policy parameters and bulk re-evaluation ----------------------------------------------------------

PARAMETER_READ_ROLES = frozenset(
    {Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER, *TOWN_READ_ROLES, Role.ADMINISTRATOR}
)


def can_view_parameters(user: User | Any) -> bool:
    return bool(scope_of(user).roles & PARAMETER_READ_ROLES)


def can_edit_parameters(user: User | Any) -> bool:
    """Parameters are the civil-affairs bureau's (DESIGN §2, §3.3)."""
    return has_role(user, Role.CIVIL_AFFAIRS_REVIEWER)


def can_view_reevaluations(user: User | Any) -> bool:
    """The proposals name households of the whole city: the two bureaus only."""
    return bool(scope_of(user).roles & CITY_READ_ROLES)


def can_run_reevaluation(user: User | Any) -> bool:
    return has_role(user, Role.CIVIL_AFFAIRS_REVIEWER)


def can_decide_reevaluation(user: User | Any, bureau: str) -> bool:
    """A re-evaluation proposal is decided by the bureau that owns the categories it changes:
    the agriculture bureau for monitoring, the civil-affairs bureau for the rest (issue 8 point 7)."""
    role = BUREAU_ROLE.get(bureau)
    return role is not None and has_role(user, role)


# Applications (the case) ---------------------------------------------------------------------------

# Who may take each step of a case (DESIGN §2, §3.4), within their town or village.
APPLICATION_ACTION_ROLES: dict[str, frozenset[str]] = {
    "accept": frozenset({Role.TOWN_CLERK, Role.VILLAGE_STAFF}),
    "start_investigation": frozenset({Role.TOWN_CLERK}),
    "record_check": frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER}),
    "complete_investigation": frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER}),
    "send_to_notice": frozenset({Role.TOWN_CLERK}),
    "return_for_reinvestigation": frozenset({Role.TOWN_CLERK, Role.TASK_FORCE, Role.VILLAGE_STAFF}),
    "decide": frozenset({Role.TASK_FORCE}),
    "file": frozenset({Role.TOWN_CLERK}),
    "resubmit_filing": frozenset({Role.TOWN_CLERK}),
    "withdraw": frozenset({Role.TOWN_CLERK, Role.VILLAGE_STAFF}),
    "extend": frozenset({Role.TOWN_CLERK}),
    "print": frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.TASK_FORCE, Role.VILLAGE_STAFF}),
}
BUREAU_ROLE = {"civil_affairs": Role.CIVIL_AFFAIRS_REVIEWER, "agriculture": Role.AGRI_BUREAU_REVIEWER}


def application_read_filter(user: User | Any) -> Q:
    """A filter on Application: a case is readable where its household is."""
    return household_read_filter(user, prefix="household__")


def can_act_on_application(user: User | Any, application: Any, action: str) -> bool:
    """May this user take this step on this case, by role and by the case's town or village?"""
    return _can_act(user, action, village_id=application.household.village_id, town_id=application.town_id)


def can_accept_for(user: User | Any, household: Household) -> bool:
    """May this user open a case for this household (the town clerk, or its village on its behalf)?"""
    return _can_act(user, "accept", village_id=household.village_id, town_id=household.village.parent_id)


def _can_act(user: User | Any, action: str, *, village_id: int, town_id: int | None) -> bool:
    roles = APPLICATION_ACTION_ROLES[action]
    for role, unit in scope_of(user).assignments:
        if role not in roles:
            continue
        if role == Role.VILLAGE_STAFF and unit == village_id:
            return True
        if role != Role.VILLAGE_STAFF and unit == town_id:
            return True
    return False


def can_handle_filing(user: User | Any, filing: Any) -> bool:
    """A bureau's reviewer acknowledges or returns the filings sent to that bureau."""
    return has_role(user, BUREAU_ROLE[filing.bureau])


def filing_queue_bureaus(user: User | Any) -> list[str]:
    """The bureaus whose filing queue this user works."""
    return [bureau for bureau, role in BUREAU_ROLE.items() if has_role(user, role)]


# Public notices ------------------------------------------------------------------------------------


def can_run_notices_in(user: User | Any, village_id: int) -> bool:
    """Village staff compose, post and close their own village's notices."""
    return any(role == Role.VILLAGE_STAFF and unit == village_id for role, unit in scope_of(user).assignments)


def can_record_objections_in(user: User | Any, village_id: int, town_id: int | None) -> bool:
    """Village staff, and the town clerk of the village's town, record and answer objections."""
    return can_run_notices_in(user, village_id) or any(
        role == Role.TOWN_CLERK and unit == town_id for role, unit in scope_of(user).assignments
    )
