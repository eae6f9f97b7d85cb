"""The org units every installation starts with (DESIGN §2): the city, the pilot towns, the bureaus and
the departments. Villages and further towns are added by the administrator or the demo data."""

from __future__ import annotations

from collections.abc import Collection

from .glossary import OrgKind
from .models import OrgUnit
from .regions import REGION_CODE, REGION_NAME

CITY = (REGION_CODE, REGION_NAME)
PILOT_TOWNS = (("420281104", "还地桥镇"), ("420281101", "保安镇"))
BUREAUS = (("MZJ", "市民政局"), ("NYNCJ", "市农业农村局"))
DEPARTMENTS = (
    ("JYJ", "市教育局"),
    ("SFJ", "市司法局"),
    ("RSJ", "市人社局"),
    ("ZJJ", "市住建局"),
    ("WJJ", "市卫健局"),
    ("YJJ", "市应急管理局"),
    ("YBJ", "市医保局"),
    ("CL", "市残联"),
    ("ZGH", "市总工会"),
    ("FL", "市妇联"),
    ("TSW", "团市委"),
    ("ZSJ", "市政数局"),
)


def ensure_base_org_units() -> OrgUnit:
    """Creates or refreshes the fixed org units; safe to run any number of times. Returns the city."""
    city, _ = OrgUnit.objects.update_or_create(code=CITY[0], defaults={"name": CITY[1], "kind": OrgKind.CITY})
    for code, name in PILOT_TOWNS:
        OrgUnit.objects.update_or_create(
            code=code, defaults={"name": name, "kind": OrgKind.TOWN, "parent": city}
        )
    for code, name in BUREAUS:
        OrgUnit.objects.update_or_create(
            code=code, defaults={"name": name, "kind": OrgKind.BUREAU, "parent": city}
        )
    for code, name in DEPARTMENTS:
        OrgUnit.objects.update_or_create(
            code=code, defaults={"name": name, "kind": OrgKind.DEPARTMENT, "parent": city}
        )
    return city


def village_ids_of(towns: Collection[int]) -> frozenset[int]:
    """The ids of the units under these towns (one small query). Filtering households by this list lets
    the planner use the household's village index; a join through the village to its town does not, and
    costs a pass over the town's households (issue 12)."""
    if not towns:
        return frozenset()
    return frozenset(OrgUnit.objects.filter(parent_id__in=towns).order_by().values_list("pk", flat=True))
