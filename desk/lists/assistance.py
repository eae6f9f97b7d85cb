"""The assistance lists: temporary assistance to explain, assistance records, families' needs for social
forces, and the re-evaluation's proposals for the bureaus."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from accounts.access import (
    filing_queue_bureaus,
)
from accounts.glossary import Role
from charities.models import HouseholdNeed
from charities.selectors import open_needs
from eligibility.models import ReevaluationProposal
from households.glossary import AssistanceKind, Category
from households.models import AssistanceRecord
from households.selectors.assistance import temporary_assistance_unexplained

from ..stats import (
    assistance_query,
    stats_scope,
)
from .base import REVIEWERS, STATS_ROLES, TOWN_WARNING_ROLES, DeskList, dashboard_period

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


def _stats_assistance(user: Any, on: date, params: dict[str, str]) -> QuerySet[AssistanceRecord]:
    """The assistance records behind a dashboard figure: in the period, of a kind."""
    start, end = dashboard_period(on, params)
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


LISTS: dict[str, DeskList] = {
    "proposals": DeskList(
        "待审核的重新测算建议",
        REVIEWERS,
        ("户编号", "村(居)", "现有类别", "测算类别", "测算日期"),
        _proposals,
        _proposal_cells,
        _proposal_link,
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
}
