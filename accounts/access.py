"""The one place that answers "may this user see / change this object".

Every view, API endpoint and export asks here; nothing else decides access. Scope follows DESIGN §2:
town roles see their town's villages, village staff their own village, the two bureaus the whole city.
The administrator manages people, places and calendars, not households; a department user sees only
what its referrals and uploads name (none yet), so neither sees households here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from .glossary import Role
from .models import OrgUnit
from .orgs import village_ids_of

if TYPE_CHECKING:
    from households.models import Household

    from .models import User

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

    @cached_property
    def read_village_ids(self) -> frozenset[int]:
        """Every unit whose households this scope reads below the city: the villages of its towns (one
        small query, on first use) and its own villages. A list of ids lets the planner drive a household
        filter from the household's village index; a join through the village to its town does not, and
        costs a pass over the town's households for every page (issue 12)."""
        return village_ids_of(self.read_towns) | self.read_villages


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
    # The same households as `village__parent_id__in=read_towns | village_id__in=read_villages`.
    return Q(**{f"{prefix}village_id__in": sorted(scope.read_village_ids)})


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

BUREAU_ROLE = {"civil_affairs": Role.CIVIL_AFFAIRS_REVIEWER, "agriculture": Role.AGRI_BUREAU_REVIEWER}


def application_read_filter(user: User | Any) -> Q:
    """A filter on Application: a case is readable where its household is."""
    return household_read_filter(user, prefix="household__")


def can_act_in(user: User | Any, roles: Collection[str], *, village_id: int, town_id: int | None) -> bool:
    """The scope rule for acting on something of a village (a case, say): one of `roles` held for that
    village itself (village staff) or for its town (the town roles). The caller says which roles may act
    (the case's roles come from applications.actions)."""
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


# Monitoring: shared data and warnings (DESIGN §3.6) -----------------------------------------------

BUREAU_CODE_OF_ROLE = {Role.CIVIL_AFFAIRS_REVIEWER: "MZJ", Role.AGRI_BUREAU_REVIEWER: "NYNCJ"}
WARNING_TOWN_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})


def department_ids(user: User | Any) -> frozenset[int]:
    """The departments this user (or a department's API token) acts for."""
    return frozenset(unit for role, unit in scope_of(user).assignments if role == Role.DEPARTMENT_USER)


def import_read_filter(user: User | Any) -> Q:
    """A filter on DatasetImport: a department its own deliveries; the two bureaus every delivery."""
    scope = scope_of(user)
    if scope.whole_city:
        return Q()
    return Q(department_id__in=department_ids(user))


def warning_read_filter(user: User | Any) -> Q:
    """A filter on Warning: a department the warnings routed to it; a town (and a village) its households'
    warnings; a bureau the overdue warnings escalated to its desk."""
    scope = scope_of(user)
    q = Q(assignee_id__in=department_ids(user))
    # The same warnings as `household__village_id__in=read_village_ids`: a warning's town is its
    # household's (Warning.town), and a town's list then reads the (town, status, due date) index.
    if scope.read_towns:
        q |= Q(town_id__in=sorted(scope.read_towns))
    if scope.read_villages:
        q |= Q(household__village_id__in=sorted(scope.read_villages))
    if Role.CIVIL_AFFAIRS_REVIEWER in scope.roles:
        q |= Q(to_civil_affairs=True)
    if Role.AGRI_BUREAU_REVIEWER in scope.roles:
        q |= Q(to_agriculture=True)
    return q


def can_handle_warning(user: User | Any, warning: Any) -> bool:
    """Acknowledge and give feedback: the department it is routed to, or the household's town office."""
    assignments = scope_of(user).assignments
    town_id = warning.household.village.parent_id
    return any(
        (role == Role.DEPARTMENT_USER and unit == warning.assignee_id)
        or (role in WARNING_TOWN_ROLES and unit == town_id)
        for role, unit in assignments
    )


def can_close_warning(user: User | Any, warning: Any) -> bool:
    """Only the household's town closes a warning."""
    town_id = warning.household.village.parent_id
    return any(role in WARNING_TOWN_ROLES and unit == town_id for role, unit in scope_of(user).assignments)


def sees_warning_household_in_full(user: User | Any) -> bool:
    """Town and bureau staff see the household; a department only the masked facts of DESIGN §3.6."""
    scope = scope_of(user)
    return scope.reads_any_household


def sees_warning_full_ids(user: User | Any) -> bool:
    """A warning's member shows with the full ID number only to those who see households in full and
    full ID numbers (village staff read their households but, as on the household list, masked)."""
    return sees_warning_household_in_full(user) and sees_full_id_numbers(user)


# Monitoring: visits and risk elimination (DESIGN §3.6, §3.7) --------------------------------------

VISIT_ROLES = frozenset({Role.VILLAGE_STAFF, Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})
# The town's collective review of risk elimination is recorded by its task force or its agri officer,
# who co-owns monitoring; the clerk reads it.
RISK_DECIDE_ROLES = frozenset({Role.TASK_FORCE, Role.TOWN_AGRI_OFFICER})


def can_record_visit(user: User | Any, household: Household) -> bool:
    """Village staff in their own village, the town clerk and agri officer in their town."""
    village = household.village
    return can_act_in(user, VISIT_ROLES, village_id=village.pk, town_id=village.parent_id)


def risk_read_towns(user: User | Any) -> frozenset[int] | None:
    """The towns whose risk-elimination candidates and reviews this user reads: None for the whole city
    (the agri bureau's reviewer), else the towns of the user's town roles (village staff: none)."""
    scope = scope_of(user)
    if Role.AGRI_BUREAU_REVIEWER in scope.roles:
        return None
    return scope.read_towns


def can_decide_risk(user: User | Any, town_id: int) -> bool:
    return any(role in RISK_DECIDE_ROLES and unit == town_id for role, unit in scope_of(user).assignments)


def can_acknowledge_risk(user: User | Any) -> bool:
    """The 农业农村局 acknowledges (or returns) a town's risk-elimination decision."""
    return has_role(user, Role.AGRI_BUREAU_REVIEWER)


def can_open_adjustment_from_visit(user: User | Any, household: Household) -> bool:
    """An adjustment case is accepted by the town: the clerk of the household's town."""
    village = household.village
    return can_act_in(user, {Role.TOWN_CLERK}, village_id=village.pk, town_id=village.parent_id)


# Special assistance and social forces (DESIGN §3.8) ----------------------------------------------

ASSISTANCE_TOWN_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})


def can_record_assistance(user: User | Any, household: Household) -> bool:
    """Town staff (社会事务办, 农办) of the household's town enter assistance and temporary assistance."""
    town_id = household.village.parent_id
    return any(role in ASSISTANCE_TOWN_ROLES and unit == town_id for role, unit in scope_of(user).assignments)


def can_record_assistance_anywhere(user: User | Any) -> bool:
    return bool(scope_of(user).roles & ASSISTANCE_TOWN_ROLES)


def can_register_social_resources(user: User | Any) -> bool:
    """Charity projects and volunteers are registered by the civil-affairs bureau."""
    return has_role(user, Role.CIVIL_AFFAIRS_REVIEWER)


def can_view_social_resources(user: User | Any) -> bool:
    return scope_of(user).reads_any_household


def social_resource_read_filter(user: User | Any) -> Q:
    """A filter on a charity project or volunteer: the bureaus all; a town or a village those serving it."""
    scope = scope_of(user)
    if scope.whole_city:
        return Q()
    if not scope.reads_any_household:
        return Q(pk__in=[])
    village_towns = OrgUnit.objects.filter(pk__in=scope.read_villages).values("parent_id")
    return Q(towns__in=scope.read_towns) | Q(towns__in=village_towns)


def can_record_needs(user: User | Any, household: Household) -> bool:
    """A household's needs are recorded by its town's staff or its village committee."""
    village = household.village
    return can_act_in(
        user,
        {Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.VILLAGE_STAFF},
        village_id=village.pk,
        town_id=village.parent_id,
    )


def can_match_needs(user: User | Any, household: Household) -> bool:
    """Matching a need to a project or volunteer, and recording the help given: the civil-affairs bureau
    anywhere, the town staff of the household's town."""
    return can_register_social_resources(user) or can_record_assistance(user, household)


def delivering_unit_ids(user: User | Any) -> frozenset[int]:
    """The org units this user delivers shared data for: a department user's departments, and the
    civil-affairs bureau for its reviewers (the half-yearly central check's results, `economic_check`)."""
    scope = scope_of(user)
    bureaus = frozenset(unit for role, unit in scope.assignments if role == Role.CIVIL_AFFAIRS_REVIEWER)
    return department_ids(user) | bureaus


# Checks (DESIGN §3.6 Checks): the central check export, annual and ad hoc check tasks -----------------

CENTRAL_CHECK_EXPORT_ROLES = frozenset(
    {Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER, Role.ADMINISTRATOR}
)
CHECK_TOWN_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})


def can_export_central_check(user: User | Any) -> bool:
    """The export carries every enrolled member's full ID number: the two bureaus and the administrator."""
    return bool(scope_of(user).roles & CENTRAL_CHECK_EXPORT_ROLES)


def can_plan_checks(user: User | Any) -> bool:
    """The annual city check is planned by the civil-affairs bureau (DESIGN §2)."""
    return has_role(user, Role.CIVIL_AFFAIRS_REVIEWER)


def check_task_read_filter(user: User | Any) -> Q:
    """A filter on CheckTask: the two bureaus every task; a town's roles (and the task force) their
    town's tasks; village staff their village's households' tasks."""
    scope = scope_of(user)
    if scope.whole_city:
        return Q()
    return Q(town_id__in=scope.read_towns) | Q(household__village_id__in=scope.read_villages)


def can_work_check_tasks_in(user: User | Any, town_id: int | None) -> bool:
    """Opening an ad hoc check and recording a result: the town clerk or the town agri officer."""
    return town_id is not None and any(
        role in CHECK_TOWN_ROLES and unit == town_id for role, unit in scope_of(user).assignments
    )


# The desk: the pilot evaluation and exports (DESIGN §3.10) ------------------------------------------


def can_read_evaluation(user: User | Any) -> bool:
    """The pilot evaluation: the two bureaus (the city or a town) and the town roles (their town)."""
    return bool(scope_of(user).roles & (CITY_READ_ROLES | TOWN_READ_ROLES))
