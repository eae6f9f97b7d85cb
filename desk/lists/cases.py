"""The cases' lists: the town's inbox and deadlines, the filings, the village's notices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from accounts.access import (
    application_read_filter,
    filing_queue_bureaus,
    household_read_filter,
    scope_of,
)
from accounts.glossary import Role
from applications.glossary import OPEN_STAGES, DeadlineFlag, FilingStatus, Kind, Stage
from applications.models import Application, Filing
from publicity.glossary import NoticeStatus
from publicity.models import Notice
from publicity.selectors import live_items

from ..stats import (
    OPEN_STAGE_CODES,
    stats_scope,
)
from .base import REVIEWERS, STATS_ROLES, TOWN_CASE_ROLES, DeskList, Rows

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
}
