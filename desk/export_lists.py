"""The lists that export (DESIGN §3.10), one `register(ListExport(...))` each: the page's own form and
selector give the rows, so an export shows what the page shows, with the same masking."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import QueryDict

from accounts.access import department_ids, scope_of, sees_full_id_numbers, sees_warning_household_in_full
from applications.glossary import OPEN_STAGES, Stage
from applications.selectors import application_list
from charities.forms import NeedFilterForm
from charities.selectors import need_list
from households.forms.assistance import AssistanceSearchForm
from households.forms.households import HouseholdSearchForm
from households.glossary import Category
from households.models import Enrollment, Member
from households.selectors import households as household_selectors
from households.selectors.assistance import AssistanceFilters, assistance_list
from monitoring.glossary import WarningStatus
from monitoring.selectors import warnings as warning_selectors
from monitoring.selectors.checks import CHECK_TABS, check_task_list
from publicity.selectors import staff_notices

from .exports import Cell, ListExport, Viewer, register


def _household_filters(user: Any, params: QueryDict) -> household_selectors.HouseholdFilters:
    """The household list's own form, read as the page reads it
    (households.views.households.household_list)."""
    form = HouseholdSearchForm(
        params or None,
        towns=household_selectors.readable_towns(user=user),
        villages=household_selectors.readable_villages(user=user),
        categories=Category.choices,
    )
    if not form.is_valid():
        return household_selectors.HouseholdFilters()
    data = form.cleaned_data
    return household_selectors.HouseholdFilters(
        q=data["q"],
        town=data["town"].pk if data["town"] else None,
        village=data["village"].pk if data["village"] else None,
        category=data["category"],
    )


def _households(user: Any, params: QueryDict) -> QuerySet[Any]:
    return household_selectors.household_list(user=user, filters=_household_filters(user, params))


def _household_row(h: Any, viewer: Viewer) -> list[Cell]:
    applicants = h.applicants
    return [
        h.household_number,
        h.village.parent.name if h.village.parent else "",
        h.village.name,
        "、".join(a.name for a in applicants),
        "、".join(viewer.id_number(a.id_number) for a in applicants),
        h.member_count,
        h.get_hukou_type_display(),
        "；".join(household_selectors.category_labels(h.current_enrollments)),
    ]


register(
    ListExport(
        key="households",
        title="家庭档案",
        columns=("户编号", "镇", "村(居)", "申请人", "身份证号码", "人口", "户籍", "当前类别"),
        allowed=lambda user: scope_of(user).reads_any_household,
        queryset=_households,
        row=_household_row,
    )
)


def _enrollments(user: Any, params: QueryDict) -> QuerySet[Any]:
    """The enrollments in force today of the households the household list shows for these filters
    (the same filters; the category filter keeps that category's enrollments)."""
    filters = _household_filters(user, params)
    applicant = Member.objects.filter(
        household=OuterRef("household_id"), relation="applicant", is_active=True
    )
    qs = (
        household_selectors.active_enrollments()
        .filter(household__in=_households(user, params).values("pk"))
        .select_related("household__village__parent", "member")
        .annotate(
            applicant_name=Subquery(applicant.values("name")[:1]),
            applicant_id=Subquery(applicant.values("id_number")[:1]),
        )
        .order_by("household__household_number", "category", "pk")
    )
    if filters.category:
        qs = qs.filter(category=filters.category)
    return qs


def _enrollment_row(e: Enrollment, viewer: Viewer) -> list[Cell]:
    person = e.member
    name = person.name if person else getattr(e, "applicant_name", "") or ""
    number = person.id_number if person else getattr(e, "applicant_id", "") or ""
    return [
        e.household.household_number,
        e.household.village.parent.name if e.household.village.parent else "",
        e.household.village.name,
        e.get_category_display(),
        name,
        viewer.id_number(number) if number else "",
        "成员" if person else "家庭",
        e.start_date,
        e.monthly_amount,
        e.gradual_exit_until,
    ]


register(
    ListExport(
        key="enrollments",
        title="在册救助帮扶对象",
        columns=(
            "户编号",
            "镇",
            "村(居)",
            "类别",
            "姓名（家庭类别为申请人）",
            "身份证号码",
            "纳入层级",
            "纳入日期",
            "每月救助金(元)",
            "渐退期至",
        ),
        allowed=lambda user: scope_of(user).reads_any_household,
        queryset=_enrollments,
        row=_enrollment_row,
    )
)


def _cases(user: Any, params: QueryDict) -> QuerySet[Any]:
    """The workbench's open cases, filtered by the stage tile chosen (applications.selectors.workbench)."""
    stage = params.get("stage", "")
    qs = application_list(user=user).filter(stage__in=OPEN_STAGES)
    if stage in OPEN_STAGES:
        qs = qs.filter(stage=stage)
    return qs


def _case_row(c: Any, viewer: Viewer) -> list[Cell]:
    return [
        c.case_number,
        c.get_kind_display(),
        c.applicant.name,
        c.household.village.parent.name if c.household.village.parent else "",
        c.household.village.name,
        c.get_stage_display(),
        c.get_channel_display(),
        c.get_procedure_display(),
        c.submitted_on if c.stage == Stage.SUBMITTED else c.accepted_on,
        c.investigation_due,
        c.review_due,
        c.final_due,
        "已延期" if c.extended_due else "",
        c.get_deadline_flag_display() if c.deadline_flag else "",
    ]


register(
    ListExport(
        key="cases",
        title="在办案件",
        columns=(
            "案件编号",
            "案件类型",
            "申请人",
            "镇",
            "村(居)",
            "阶段",
            "申请渠道",
            "办理程序",
            "受理（转报）日期",
            "调查期限",
            "研判期限",
            "办结期限",
            "延期",
            "期限提醒",
        ),
        allowed=lambda user: scope_of(user).reads_any_household,
        queryset=_cases,
        row=_case_row,
    )
)


def _notices(user: Any, params: QueryDict) -> QuerySet[Any]:
    return staff_notices(user=user).annotate(
        item_count=Count("items", distinct=True), objection_count=Count("items__objections", distinct=True)
    )


def _notice_row(n: Any, viewer: Viewer) -> list[Cell]:
    return [
        n.title,
        n.village.parent.name if n.village.parent else "",
        n.village.name,
        n.get_status_display(),
        n.posted_on,
        n.closes_on,
        n.closed_on,
        n.item_count,
        n.objection_count,
    ]


register(
    ListExport(
        key="notices",
        title="公示",
        columns=(
            "公示",
            "镇",
            "村(居)",
            "状态",
            "张贴日期",
            "期满日期",
            "结束日期",
            "公示对象(户)",
            "异议(件)",
        ),
        allowed=lambda user: scope_of(user).reads_any_household,
        queryset=_notices,
        row=_notice_row,
    )
)


def _warning_status(params: QueryDict) -> str:
    """The warning list page's status filter, read the same way (monitoring.views.warnings.warning_list)."""
    status = params.get("status", "active")
    return status if status in ("active", "", *WarningStatus.values) else "active"


def _warnings(user: Any, params: QueryDict) -> QuerySet[Any]:
    return warning_selectors.warning_list(user=user, status=_warning_status(params))


def _warning_viewer(user: Any) -> Viewer:
    # A department sees the masked ID (DESIGN §3.6); a full ID only for the roles that see full IDs.
    return Viewer(user, sees_warning_household_in_full(user) and sees_full_id_numbers(user))


def _warning_row(w: Any, viewer: Viewer) -> list[Cell]:
    overdue = w.overdue_rank == 0
    return [
        w.get_type_display(),
        w.get_severity_display(),
        w.household.household_number,
        w.household.village.parent.name if w.household.village.parent else "",
        w.household.village.name,
        w.member.name if w.member else "",
        viewer.id_number(w.member.id_number) if w.member else "",
        w.detail,
        w.raised_on,
        w.due_on,
        "已逾期" if overdue else "",
        w.get_status_display(),
        "已报送市直局" if w.escalated_on else "",
        w.assignee.name,
    ]


def _may_see_warnings(user: Any) -> bool:
    scope = scope_of(user)
    return scope.reads_any_household or bool(department_ids(user))


register(
    ListExport(
        key="warnings",
        title="预警",
        columns=(
            "预警",
            "等级",
            "户编号",
            "镇",
            "村(居)",
            "成员",
            "身份证号码",
            "匹配内容",
            "预警日期",
            "办理期限",
            "逾期",
            "状态",
            "报送市直局",
            "责任单位",
        ),
        allowed=_may_see_warnings,
        queryset=_warnings,
        row=_warning_row,
        viewer=_warning_viewer,
    )
)


def _check_tasks(user: Any, params: QueryDict) -> QuerySet[Any]:
    """The check task list's tabs, read the same way (monitoring.views.checks.check_list)."""
    status = params.get("status", "open")
    if status not in dict(CHECK_TABS):
        status = "open"
    return check_task_list(user=user, status="" if status == "all" else status)


def _check_task_row(t: Any, viewer: Viewer) -> list[Cell]:
    return [
        t.get_kind_display(),
        t.household.household_number,
        t.household.village.parent.name if t.household.village.parent else "",
        t.household.village.name,
        t.reason,
        t.opened_on,
        t.due_on,
        "已逾期" if t.overdue else "",
        t.get_status_display(),
        t.get_result_display() if t.result else "",
        t.recorded_on,
    ]


register(
    ListExport(
        key="checks",
        title="核查任务",
        columns=(
            "核查",
            "户编号",
            "镇",
            "村(居)",
            "事由",
            "下达日期",
            "完成期限",
            "逾期",
            "状态",
            "结果",
            "核查日期",
        ),
        allowed=lambda user: scope_of(user).reads_any_household,
        queryset=_check_tasks,
        row=_check_task_row,
    )
)


def _assistance(user: Any, params: QueryDict) -> QuerySet[Any]:
    """The assistance list's own form, read as the page reads it (households.views.assistance)."""
    form = AssistanceSearchForm(params or None)
    filters = AssistanceFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = AssistanceFilters(
            kind=data["kind"], source=data["source"], start=data["start"], end=data["end"]
        )
    return assistance_list(user=user, filters=filters)


def _assistance_row(r: Any, viewer: Viewer) -> list[Cell]:
    return [
        r.received_on,
        r.household.village.parent.name if r.household.village.parent else "",
        r.household.village.name,
        r.household.household_number,
        r.member.name,
        viewer.id_number(r.member.id_number),
        r.get_kind_display(),
        r.amount,
        r.get_source_display(),
        r.reason or r.note,
        r.explained_on,
    ]


register(
    ListExport(
        key="assistance",
        title="救助帮扶记录",
        columns=(
            "救助日期",
            "镇",
            "村(居)",
            "户编号",
            "救助对象",
            "身份证号码",
            "救助类型",
            "金额(元)",
            "来源",
            "说明",
            "补充说明日期",
        ),
        allowed=lambda user: scope_of(user).reads_any_household,
        queryset=_assistance,
        row=_assistance_row,
    )
)


def _needs(user: Any, params: QueryDict) -> QuerySet[Any]:
    """The needs list's own form, read as the page reads it (charities.views.need_list)."""
    form = NeedFilterForm(params or None)
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["kind"]
    return need_list(user=user, status=status, kind=kind)


def _need_row(n: Any, viewer: Viewer) -> list[Cell]:
    return [
        n.recorded_on,
        n.household.village.parent.name if n.household.village.parent else "",
        n.household.village.name,
        n.household.household_number,
        n.member.name if n.member else "全户",
        n.get_kind_display(),
        n.description,
        n.get_status_display(),
    ]


register(
    ListExport(
        key="needs",
        title="帮扶需求",
        columns=("登记日期", "镇", "村(居)", "户编号", "成员", "需求类型", "需求说明", "状态"),
        allowed=lambda user: scope_of(user).reads_any_household,
        queryset=_needs,
        row=_need_row,
    )
)
