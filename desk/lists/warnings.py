"""The warnings' lists: the town's, the departments', the escalated ones and the dashboards'."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from accounts.access import (
    department_ids,
    scope_of,
)
from accounts.glossary import Role
from applications.glossary import OPEN_STAGES
from applications.models import Application
from households.idnumbers import mask
from monitoring.glossary import WarningAction, WarningType
from monitoring.models import Warning

from ..stats import (
    HANDLED_STATES,
    OPEN_WARNING_STATES,
    stats_scope,
    warnings_query,
)
from .base import REVIEWERS, STATS_ROLES, TOWN_WARNING_ROLES, DeskList, dashboard_period

# Warnings ----------------------------------------------------------------------------------------


def _warnings(user: Any) -> QuerySet[Warning]:
    return Warning.objects.select_related("household__village__parent", "member", "assignee").order_by(
        "due_on", "pk"
    )


def _warning_cells(warning: Warning) -> list[str]:
    return [
        warning.get_type_display(),
        warning.get_severity_display(),
        warning.household.household_number,
        warning.household.village.name,
        warning.member.name if warning.member else "",
        mask(warning.member.id_number) if warning.member else "",
        warning.assignee.name,
        warning.due_on.isoformat(),
        warning.get_status_display(),
    ]


def _warning_link(warning: Warning) -> str:
    return reverse("monitoring:warning_detail", args=[warning.pk])


WARNING_COLUMNS = ("预警类型", "等级", "户编号", "村(居)", "成员", "身份证号", "责任单位", "办理期限", "状态")


def _town_warnings(user: Any) -> QuerySet[Warning]:
    towns = [unit for role, unit in scope_of(user).assignments if role in TOWN_WARNING_ROLES]
    return _warnings(user).filter(household__village__parent_id__in=towns, status__in=OPEN_WARNING_STATES)


def _leads(user: Any, on: date, params: dict[str, str]) -> QuerySet[Warning]:
    """Leads for active discovery (主动发现): the town's warnings whose feedback asks for a new investigation
    (`reinvestigation`) while no case was opened from them (`source` "warning:<id>") and none runs on the
    household."""
    towns = [unit for role, unit in scope_of(user).assignments if role in TOWN_WARNING_ROLES]
    from_it = Application.objects.filter(
        source=Concat(Value("warning:"), Cast(OuterRef("pk"), output_field=CharField()))
    )
    running = Application.objects.filter(household_id=OuterRef("household_id"), stage__in=OPEN_STAGES)
    return (
        _warnings(user)
        .filter(
            household__village__parent_id__in=towns,
            action=WarningAction.REINVESTIGATION,
            status__in=HANDLED_STATES,
        )
        .exclude(Exists(from_it))
        .exclude(Exists(running))
    )


def _escalated_warnings(user: Any, on: date, params: dict[str, str]) -> QuerySet[Warning]:
    roles = scope_of(user).roles
    qs = _warnings(user).filter(status__in=OPEN_WARNING_STATES)
    civil, agri = Role.CIVIL_AFFAIRS_REVIEWER in roles, Role.AGRI_BUREAU_REVIEWER in roles
    routed = Q(pk__in=[])
    if civil:
        routed |= Q(to_civil_affairs=True)
    if agri:
        routed |= Q(to_agriculture=True)
    return qs.filter(routed)


def _department_warnings(user: Any, on: date, params: dict[str, str]) -> QuerySet[Warning]:
    return _warnings(user).filter(assignee_id__in=department_ids(user), status__in=OPEN_WARNING_STATES)


def _stats_warnings(user: Any, on: date, params: dict[str, str]) -> QuerySet[Warning]:
    """The warnings behind a dashboard figure: raised in the period, of a type or for a unit."""
    scope = stats_scope(user, params.get("town"))
    start, end = dashboard_period(on, params)
    qs = warnings_query(scope, start, end).select_related("household__village__parent", "member", "assignee")
    if params.get("type") in WarningType.values:
        qs = qs.filter(type=params["type"])
    if params.get("assignee", "").isdigit():
        qs = qs.filter(assignee_id=int(params["assignee"]))
    return qs.order_by("due_on", "pk")


LISTS: dict[str, DeskList] = {
    "town_warnings": DeskList(
        "本镇未办结的预警",
        TOWN_WARNING_ROLES,
        WARNING_COLUMNS,
        lambda user, on, p: _town_warnings(user),
        _warning_cells,
        _warning_link,
    ),
    "town_warnings_overdue": DeskList(
        "本镇已超期的预警",
        TOWN_WARNING_ROLES,
        WARNING_COLUMNS,
        lambda user, on, p: _town_warnings(user).filter(due_on__lt=on),
        _warning_cells,
        _warning_link,
    ),
    "leads": DeskList(
        "待立案的线索（预警反馈需重新调查）",
        TOWN_WARNING_ROLES,
        WARNING_COLUMNS,
        _leads,
        _warning_cells,
        _warning_link,
    ),
    "escalated_warnings": DeskList(
        "超期报送本局的预警",
        REVIEWERS,
        WARNING_COLUMNS,
        _escalated_warnings,
        _warning_cells,
        _warning_link,
    ),
    "department_warnings": DeskList(
        "推送本部门待处理的预警",
        frozenset({Role.DEPARTMENT_USER}),
        WARNING_COLUMNS,
        _department_warnings,
        _warning_cells,
        _warning_link,
    ),
    "department_warnings_overdue": DeskList(
        "推送本部门已超期的预警",
        frozenset({Role.DEPARTMENT_USER}),
        WARNING_COLUMNS,
        lambda user, on, p: _department_warnings(user, on, p).filter(due_on__lt=on),
        _warning_cells,
        _warning_link,
    ),
    "stats_warnings": DeskList(
        "预警", STATS_ROLES, WARNING_COLUMNS, _stats_warnings, _warning_cells, _warning_link
    ),
}
