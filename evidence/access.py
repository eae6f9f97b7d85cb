"""Who may see, add and withdraw a document (DESIGN §3.11, the scopes of §2).

A document follows its household's scope. Health documents (illness proofs, disability certificates) are
for the town's staff and the two bureaus only; a department user sees no document; public pages never
show one. Deciding a case freezes its documents: none can be withdrawn after it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.access import TOWN_READ_ROLES, household_read_filter, scope_of
from accounts.glossary import Role
from accounts.models import OrgUnit
from applications.glossary import Stage
from households.models import Household

from .codes import HEALTH_KINDS, HEALTH_READ_ROLES, DocumentKind

# Who adds documents: the town's staff and the village committee of the household (a bureau reads).
UPLOAD_ROLES = TOWN_READ_ROLES | {Role.VILLAGE_STAFF}
DECIDED_STAGES = frozenset({Stage.APPROVED, Stage.REJECTED, Stage.FILED})


def document_read_filter(user: Any) -> Q:
    """A filter on Document that keeps exactly those this user may read: the household's scope, and for a
    health document a bureau (the whole city) or the staff of the household's town."""
    scope = scope_of(user)
    if not scope.reads_any_household and not scope.whole_city:
        return Q(pk__in=[])
    readable = household_read_filter(user, prefix="household__")
    if scope.roles & (
        HEALTH_READ_ROLES - TOWN_READ_ROLES
    ):  # a bureau: every kind (an empty Q would drop out)
        return readable
    health_towns = Q(household__village__parent_id__in=sorted(scope.read_towns))
    return readable & (~Q(kind__in=sorted(HEALTH_KINDS)) | health_towns)


def may_upload_for(user: Any, household: Household) -> bool:
    """Whether the user adds documents to this household: its town's staff or its village's committee."""
    return may_upload_for_village(user, household.village)


def may_upload_for_village(user: Any, village: OrgUnit) -> bool:
    """Whether the user adds documents in this village: its town's staff or its committee."""
    scope = scope_of(user)
    if not scope.roles & UPLOAD_ROLES:
        return False
    towns = {unit for role, unit in scope.assignments if role in TOWN_READ_ROLES}
    return village.pk in scope.read_villages or village.parent_id in towns


def allowed_kinds(user: Any) -> set[str]:
    """The kinds this user may add (and read): health kinds only for the roles that may read them."""
    kinds = set(DocumentKind.values)
    return kinds if scope_of(user).roles & HEALTH_READ_ROLES else kinds - set(HEALTH_KINDS)
