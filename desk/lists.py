"""The lists behind the desk's counts: each to-do count and each dashboard figure links to one of these, and
the count is the length of the very query the list shows, so a count and its list never disagree.

A list is a query in the user's scope (the other apps' read filters and selectors), the roles that may open
it, its columns and one row per object with a link to the object's own page. `rows(key, user, on, params)`
is what both the count (`.count()` / `len`) and the page (paginated) read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from accounts.access import (
    application_read_filter,
    department_ids,
    filing_queue_bureaus,
    household_read_filter,
    scope_of,
)
from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit
from applications.glossary import OPEN_STAGES, DeadlineFlag, FilingStatus, Kind, Stage
from applications.models import Application, Filing
from charities.models import HouseholdNeed
from charities.selectors import open_needs
from eligibility.models import ReevaluationProposal
from households.glossary import AssistanceKind, Category
from households.idnumbers import mask
from households.models import AssistanceRecord
from households.selectors.assistance import temporary_assistance_unexplained
from monitoring.datasets import Dataset, datasets_of_department
from monitoring.glossary import ImportStatus, RiskReviewStatus, WarningAction, WarningType
from monitoring.models import CheckTask, DatasetImport, RiskReview, Warning
from monitoring.selectors.checks import check_tasks_open
from monitoring.selectors.risk import review_list
from monitoring.selectors.visits import VisitSchedule, visits_due, visits_overdue
from monitoring.services.deliveries import delivering_departments
from monitoring.services.sync import previous_period
from publicity.glossary import NoticeStatus
from publicity.models import Notice
from publicity.selectors import live_items

from .stats import (
    HANDLED_STATES,
    OPEN_STAGE_CODES,
    OPEN_WARNING_STATES,
    assistance_query,
    stats_scope,
    warnings_query,
)

Rows = QuerySet[Any] | Sequence[Any]

TOWN_CASE_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.TASK_FORCE})
TOWN_WARNING_ROLES = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})
REVIEWERS = frozenset({Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER})
STATS_ROLES = frozenset({*TOWN_CASE_ROLES, *REVIEWERS, Role.VILLAGE_STAFF})


@dataclass(frozen=True)
class DeskList:
    label: str
    roles: frozenset[str]
    columns: tuple[str, ...]
    query: Callable[[Any, date, dict[str, str]], Rows]
    cells: Callable[[Any], list[str]]
    link: Callable[[Any], str]


def rows(key: str, user: Any, on: date, params: dict[str, str] | None = None) -> Rows:
    return LISTS[key].query(user, on, params or {})


def count(key: str, user: Any, on: date, params: dict[str, str] | None = None) -> int:
    found = rows(key, user, on, params)
    return found.count() if isinstance(found, QuerySet) else len(found)


def may_open(key: str, user: Any) -> bool:
    spec = LISTS.get(key)
    return spec is not None and bool(scope_of(user).roles & spec.roles)


# Cases -------------------------------------------------------------------------------------------


def _cases(user: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(application_read_filter(user))
        .select_related("household__village__parent", "applicant")
        .order_by("pk")
    )


def _case_cells(case: Application) -> list[str]:
    due = case.final_due
    village = case.household.village
    return [
        case.case_number,
        case.get_kind_display(),
        case.applicant.name,
        f"{village.parent.name if village.parent else ''} {village.name}",
        Stage(case.stage).label,
        case.accepted_on.isoformat() if case.accepted_on else "待受理",
        due.isoformat() if due else "—",
    ]


def _case_link(case: Application) -> str:
    return reverse("applications:detail", args=[case.pk])


CASE_COLUMNS = ("案件编号", "类型", "申请人", "村(居)", "阶段", "受理日期", "办结期限")


def _case_list(
    label: str, roles: frozenset[str], query: Callable[[Any, date, dict[str, str]], Rows]
) -> DeskList:
    return DeskList(label, roles, CASE_COLUMNS, query, _case_cells, _case_link)


def _open_cases(user: Any) -> QuerySet[Application]:
    return _cases(user).filter(stage__in=OPEN_STAGES)


def _open_cases_by_stage(user: Any, on: date, params: dict[str, str]) -> QuerySet[Application]:
    scope = stats_scope(user, params.get("town"))
    qs = _cases(user).filter(scope.filter("household__"), stage__in=OPEN_STAGE_CODES)
    if params.get("stage") in OPEN_STAGE_CODES:
        qs = qs.filter(stage=params["stage"])
    if params.get("kind") in Kind.values:
        qs = qs.filter(kind=params["kind"])
    return qs


def _filing_cells(filing: Filing) -> list[str]:
    return [
        *_case_cells(filing.application)[:3],
        filing.get_bureau_display(),
        filing.filed_on.isoformat(),
        filing.note,
    ]


def _filing_link(filing: Filing) -> str:
    return reverse("applications:detail", args=[filing.application_id])


def _filings(user: Any) -> QuerySet[Filing]:
    return Filing.objects.select_related(
        "application__household__village__parent", "application__applicant"
    ).order_by("filed_on", "pk")


def _returned_filings(user: Any, on: date, params: dict[str, str]) -> QuerySet[Filing]:
    return _filings(user).filter(
        household_read_filter(user, prefix="application__household__"), status=FilingStatus.RETURNED
    )


def _pending_filings(user: Any, on: date, params: dict[str, str]) -> QuerySet[Filing]:
    return _filings(user).filter(bureau__in=filing_queue_bureaus(user), status=FilingStatus.PENDING)


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
    start, end = _period(on, params)
    qs = warnings_query(scope, start, end).select_related("household__village__parent", "member", "assignee")
    if params.get("type") in WarningType.values:
        qs = qs.filter(type=params["type"])
    if params.get("assignee", "").isdigit():
        qs = qs.filter(assignee_id=int(params["assignee"]))
    return qs.order_by("due_on", "pk")


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


# Assistance and social forces (DESIGN §3.8) ---------------------------------------------------------


def _temporary_cells(record: AssistanceRecord) -> list[str]:
    return [
        record.household.household_number,
        record.household.village.name,
        record.member.name,
        record.received_on.isoformat(),
        f"{record.amount:.2f}" if record.amount is not None else "—",
        record.reason,
    ]


def _assistance_cells(record: AssistanceRecord) -> list[str]:
    return [
        record.get_kind_display(),
        record.household.household_number,
        record.household.village.name,
        record.member.name,
        record.received_on.isoformat(),
        f"{record.amount:.2f}" if record.amount is not None else "—",
    ]


def _period(on: date, params: dict[str, str]) -> tuple[date, date]:
    """The dashboard's period from the list's parameters; by default the year to date."""
    try:
        return date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
    except (KeyError, ValueError):
        return date(on.year, 1, 1), on


def _stats_assistance(user: Any, on: date, params: dict[str, str]) -> QuerySet[AssistanceRecord]:
    """The assistance records behind a dashboard figure: in the period, of a kind."""
    start, end = _period(on, params)
    qs = assistance_query(stats_scope(user, params.get("town")), start, end).select_related(
        "member", "household__village"
    )
    if params.get("kind") in AssistanceKind.values:
        qs = qs.filter(kind=params["kind"])
    return qs.order_by("received_on", "pk")


def _need_cells(need: HouseholdNeed) -> list[str]:
    return [
        need.household.household_number,
        need.household.village.name,
        need.member.name if need.member else "全家",
        need.get_kind_display(),
        need.recorded_on.isoformat(),
    ]


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


# Notices -----------------------------------------------------------------------------------------


def _notice_cells(notice: Notice) -> list[str]:
    return [
        notice.title,
        notice.village.name,
        notice.get_status_display(),
        notice.posted_on.isoformat() if notice.posted_on else "—",
        notice.closes_on.isoformat() if notice.closes_on else "—",
    ]


def _notice_link(notice: Notice) -> str:
    return reverse("publicity:notice", args=[notice.pk])


NOTICE_COLUMNS = ("公示", "村(居)", "状态", "张贴日期", "公示期满")


def _village_notices(user: Any) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(village_id__in=scope_of(user).write_villages)
        .select_related("village")
        .order_by("pk")
    )


def _notices_to_post(user: Any, on: date, params: dict[str, str]) -> QuerySet[Notice]:
    return _village_notices(user).filter(status=NoticeStatus.DRAFT)


def _notices_to_close(user: Any, on: date, params: dict[str, str]) -> QuerySet[Notice]:
    return _village_notices(user).filter(status=NoticeStatus.POSTED, closes_on__lt=on)


def _awaiting_notice(user: Any, on: date, params: dict[str, str]) -> QuerySet[Application]:
    """Cases the town sent to the village for a notice that are on no open notice yet."""
    in_open = (
        live_items()
        .filter(notice__status__in=[NoticeStatus.DRAFT, NoticeStatus.POSTED])
        .values("application_id")
    )
    return (
        _cases(user)
        .filter(stage=Stage.PUBLICIZING, household__village_id__in=scope_of(user).write_villages)
        .exclude(pk__in=in_open)
    )


# The bureaus' other work -------------------------------------------------------------------------


def _proposals(user: Any, on: date, params: dict[str, str]) -> QuerySet[ReevaluationProposal]:
    return (
        ReevaluationProposal.objects.filter(
            decision=ReevaluationProposal.Decision.OPEN, bureau__in=filing_queue_bureaus(user), error=""
        )
        .select_related("household__village__parent", "run")
        .order_by("run_id", "household__household_number", "pk")
    )


def _proposal_cells(proposal: ReevaluationProposal) -> list[str]:
    def labels(codes: list[str]) -> str:
        return "、".join(Category(c).label for c in codes if c in Category.values) or "无"

    return [
        proposal.household.household_number,
        proposal.household.village.name,
        labels(proposal.current_categories),
        labels(proposal.proposed_categories),
        proposal.run.as_of.isoformat(),
    ]


def _proposal_link(proposal: ReevaluationProposal) -> str:
    page = reverse("eligibility:reevaluation", args=[proposal.run_id])
    return f"{page}?bureau={proposal.bureau}&decision=open"


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
    "inbox": _case_list(
        "待受理的申请（村转报、线上申请）",
        frozenset({Role.TOWN_CLERK}),
        lambda user, on, p: _open_cases(user).filter(stage=Stage.SUBMITTED),
    ),
    "due_soon": _case_list(
        "即将到期的案件",
        TOWN_CASE_ROLES,
        lambda user, on, p: _open_cases(user).filter(deadline_flag=DeadlineFlag.DUE_SOON),
    ),
    "overdue": _case_list(
        "已逾期的案件",
        TOWN_CASE_ROLES,
        lambda user, on, p: _open_cases(user).filter(deadline_flag=DeadlineFlag.OVERDUE),
    ),
    "to_file": _case_list(
        "已批准待备案的案件",
        frozenset({Role.TOWN_CLERK}),
        lambda user, on, p: _open_cases(user).filter(stage=Stage.APPROVED),
    ),
    "to_deliberate": _case_list(
        "待集体研判的案件",
        frozenset({Role.TASK_FORCE, Role.TOWN_CLERK}),
        lambda user, on, p: _open_cases(user).filter(stage=Stage.DELIBERATING),
    ),
    "returned_filings": DeskList(
        "被退回更正的备案",
        frozenset({Role.TOWN_CLERK}),
        ("案件编号", "申请人", "村(居)", "备案部门", "报送日期", "退回意见"),
        _returned_filings,
        _filing_cells,
        _filing_link,
    ),
    "filings_pending": DeskList(
        "待确认的备案",
        REVIEWERS,
        ("案件编号", "申请人", "村(居)", "备案部门", "报送日期", "意见"),
        _pending_filings,
        _filing_cells,
        _filing_link,
    ),
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
    "proposals": DeskList(
        "待审核的重新测算建议",
        REVIEWERS,
        ("户编号", "村(居)", "现有类别", "测算类别", "测算日期"),
        _proposals,
        _proposal_cells,
        _proposal_link,
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
    "temporary_unexplained": DeskList(
        "临时救助待补充说明",
        TOWN_WARNING_ROLES,
        ("户编号", "村(居)", "救助对象", "救助日期", "金额(元)", "救助事由"),
        lambda user, on, p: temporary_assistance_unexplained(user),
        _temporary_cells,
        lambda record: reverse("households:temporary_pending"),
    ),
    "stats_assistance": DeskList(
        "救助帮扶记录",
        STATS_ROLES,
        ("救助类型", "户编号", "村(居)", "救助对象", "救助日期", "金额(元)"),
        _stats_assistance,
        _assistance_cells,
        lambda record: reverse("households:detail", args=[record.household_id]),
    ),
    "open_needs": DeskList(
        "待对接社会力量的家庭需求",
        frozenset({*TOWN_WARNING_ROLES, Role.CIVIL_AFFAIRS_REVIEWER}),
        ("户编号", "村(居)", "成员", "需求类型", "登记日期"),
        lambda user, on, p: open_needs(user).order_by("recorded_on", "pk"),
        _need_cells,
        lambda need: reverse("charities:need", args=[need.pk]),
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
    "notices_to_post": DeskList(
        "待张贴的公示",
        frozenset({Role.VILLAGE_STAFF}),
        NOTICE_COLUMNS,
        _notices_to_post,
        _notice_cells,
        _notice_link,
    ),
    "notices_to_close": DeskList(
        "公示期满待结束的公示",
        frozenset({Role.VILLAGE_STAFF}),
        NOTICE_COLUMNS,
        _notices_to_close,
        _notice_cells,
        _notice_link,
    ),
    "awaiting_notice": _case_list("待编入公示的案件", frozenset({Role.VILLAGE_STAFF}), _awaiting_notice),
    # Behind the dashboards' figures (the town and period come from the dashboard's filter).
    "open_cases": _case_list("办理中的案件", STATS_ROLES, _open_cases_by_stage),
    "stats_warnings": DeskList(
        "预警", STATS_ROLES, WARNING_COLUMNS, _stats_warnings, _warning_cells, _warning_link
    ),
}
