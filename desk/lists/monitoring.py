"""The monitoring's other lists: check tasks, visits, risk-elimination filings and the departments'
deliveries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from accounts.access import (
    department_ids,
)
from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit
from monitoring.datasets import Dataset, datasets_of_department
from monitoring.glossary import ImportStatus, RiskReviewStatus
from monitoring.models import CheckTask, DatasetImport, RiskReview
from monitoring.selectors.checks import check_tasks_open
from monitoring.selectors.risk import review_list
from monitoring.selectors.visits import VisitSchedule, visits_due, visits_overdue
from monitoring.services.deliveries import delivering_departments
from monitoring.services.sync import previous_period

from ..stats import (
    stats_scope,
)
from .base import REVIEWERS, STATS_ROLES, TOWN_WARNING_ROLES, DeskList

# Check tasks (DESIGN §3.6 checks) -----------------------------------------------------------------


def _check_cells(task: CheckTask) -> list[str]:
    return [
        task.get_kind_display(),
        task.household.household_number,
        task.household.village.name,
        task.opened_on.isoformat(),
        task.due_on.isoformat(),
        "已逾期" if getattr(task, "overdue", False) else "未到期",
    ]


def _check_link(task: CheckTask) -> str:
    return reverse("monitoring:check_task", args=[task.pk])


CHECK_COLUMNS = ("核查类型", "户编号", "村(居)", "下达日期", "完成期限", "期限")


# Visits (巡访) and risk elimination (DESIGN §3.6, §3.7) ------------------------------------------------


def _visit_cells(schedule: VisitSchedule) -> list[str]:
    return [
        schedule.household.household_number,
        schedule.household.village.name,
        schedule.enrolled_since.isoformat(),
        schedule.last_visit.isoformat() if schedule.last_visit else "尚未走访",
        f"每{schedule.months}个月",
        schedule.next_due.isoformat(),
        schedule.status_label,
    ]


def _visit_link(schedule: VisitSchedule) -> str:
    return reverse("households:detail", args=[schedule.household.pk])


VISIT_COLUMNS = ("户编号", "村(居)", "纳入日期", "上次走访", "走访周期", "应走访日期", "状态")


def _stats_visits_overdue(user: Any, on: date, params: dict[str, str]) -> list[VisitSchedule]:
    """The households behind the dashboard's overdue visits: in scope, of the chosen town or village."""
    scope = stats_scope(user, params.get("town"))
    village = params.get("village", "")
    return [
        s
        for s in visits_overdue(user, on)
        if (not scope.town_id or s.household.village.parent_id == scope.town_id)
        and (not village.isdigit() or s.household.village_id == int(village))
    ]


def _risk_reviews_filed(user: Any, on: date, params: dict[str, str]) -> QuerySet[RiskReview]:
    return review_list(user=user, status=RiskReviewStatus.FILED).order_by("filed_on", "pk")


def _missing_departments(user: Any, on: date, params: dict[str, str]) -> QuerySet[OrgUnit]:
    """The delivering departments with no completed import for last month (the period the monthly sync
    pulls on the 5th)."""
    period = previous_period(on)
    delivered = DatasetImport.objects.filter(period=period, status=ImportStatus.DONE).values("department_id")
    codes = [d.code for d in delivering_departments()]
    return (
        OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, code__in=codes)
        .exclude(pk__in=delivered)
        .order_by("code")
    )


def _department_cells(department: OrgUnit) -> list[str]:
    return [department.name, department.contact_phone or "—"]


def _department_missing_datasets(user: Any, on: date, params: dict[str, str]) -> list[Dataset]:
    """The datasets of the user's departments not yet delivered for last month."""
    period = previous_period(on)
    departments = OrgUnit.objects.filter(pk__in=department_ids(user))
    delivered = set(
        DatasetImport.objects.filter(
            period=period, status=ImportStatus.DONE, department__in=departments
        ).values_list("dataset", flat=True)
    )
    return [
        dataset
        for unit in departments.order_by("code")
        for dataset in datasets_of_department(unit.code)
        if dataset.key not in delivered
    ]


LISTS: dict[str, DeskList] = {
    "department_missing": DeskList(
        "上月尚未报送的数据",
        frozenset({Role.DEPARTMENT_USER}),
        ("数据集", "数据期"),
        _department_missing_datasets,
        lambda dataset: [dataset.label, "上月"],
        lambda dataset: reverse("monitoring:desk"),
    ),
    "missing_departments": DeskList(
        "上月尚未报送数据的部门",
        REVIEWERS,
        ("部门", "联系电话"),
        _missing_departments,
        _department_cells,
        lambda department: reverse("monitoring:desk"),
    ),
    "check_tasks": DeskList(
        "待核查的任务",
        TOWN_WARNING_ROLES,
        CHECK_COLUMNS,
        lambda user, on, p: check_tasks_open(user, on),
        _check_cells,
        _check_link,
    ),
    "check_tasks_overdue": DeskList(
        "已逾期的核查任务",
        TOWN_WARNING_ROLES,
        CHECK_COLUMNS,
        lambda user, on, p: check_tasks_open(user, on).filter(due_on__lt=on),
        _check_cells,
        _check_link,
    ),
    "visits_due": DeskList(
        "本月应走访的家庭",
        frozenset({Role.VILLAGE_STAFF, *TOWN_WARNING_ROLES}),
        VISIT_COLUMNS,
        lambda user, on, p: visits_due(user, on),
        _visit_cells,
        _visit_link,
    ),
    "visits_overdue": DeskList(
        "走访已逾期的家庭",
        frozenset({Role.VILLAGE_STAFF, *TOWN_WARNING_ROLES}),
        VISIT_COLUMNS,
        lambda user, on, p: visits_overdue(user, on),
        _visit_cells,
        _visit_link,
    ),
    "stats_visits_overdue": DeskList(
        "走访已逾期的家庭", STATS_ROLES, VISIT_COLUMNS, _stats_visits_overdue, _visit_cells, _visit_link
    ),
    "risk_reviews_filed": DeskList(
        "待确认的风险消除报备",
        frozenset({Role.AGRI_BUREAU_REVIEWER}),
        ("镇", "研判日期", "报备日期", "状态"),
        _risk_reviews_filed,
        lambda review: [
            review.town.name,
            review.held_on.isoformat(),
            review.filed_on.isoformat() if review.filed_on else "—",
            review.get_status_display(),
        ],
        lambda review: reverse("monitoring:risk_review", args=[review.pk]),
    ),
}
