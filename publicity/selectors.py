"""Reads for notices. What the public sees is built here from structured data only: village, name (per
the masking parameter), category, household size, dates and figures — never an ID number, a phone
number, an address beyond the village, or a health or disability detail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.access import villages_readable_filter
from accounts.models import OrgUnit
from applications.glossary import Stage
from applications.models import Application
from eligibility.selectors import ParameterTable
from households.models import Enrollment, Member
from households.selectors import enrolled_on

from .glossary import ItemOutcome, NoticeStatus
from .models import Notice, NoticeItem

APPLICATION_TYPE = (
    "困难群众救助帮扶申请（低保、特困、低保边缘、刚性支出困难、防止返贫监测一次申请、分类审核）"
)
# On public lists 单人户低保 shows as 低保: the single-person rule would tell the neighbours that a member
# is seriously ill or severely disabled.
PUBLIC_CATEGORY = {
    "tekun": "特困人员",
    "dibao": "低保",
    "dibao_single": "低保",
    "marginal": "低保边缘",
    "rigid_expense": "刚性支出困难",
    "monitoring": "防止返贫监测",
    "case_by_case": "其他困难人员",
}
PUBLIC_ORDER = ["特困人员", "低保", "低保边缘", "刚性支出困难", "防止返贫监测", "其他困难人员"]


def public_name(name: str, *, masked: bool) -> str:
    """The full name, or the surname with the given name masked: 柯大山 → 柯**."""
    return name[:1] + "*" * (len(name) - 1) if masked and len(name) > 1 else name


def names_masked(village: OrgUnit, on: date | None = None) -> bool:
    return ParameterTable.load().in_force(village.code, on or timezone.localdate()).public_name_masked


def _public_categories(codes: set[str] | list[str]) -> list[str]:
    labels = {PUBLIC_CATEGORY[c] for c in codes if c in PUBLIC_CATEGORY}
    return [label for label in PUBLIC_ORDER if label in labels]


@dataclass(frozen=True)
class PublicItem:
    name: str
    household_size: int
    application_type: str
    situation: str
    findings: str
    outcome: str


def public_item(item: NoticeItem, *, masked: bool) -> PublicItem:
    application = item.application
    size = (
        getattr(application.household, "member_count", None)
        or application.household.members.filter(is_active=True).count()
    )
    result = application.assessment.result if application.assessment else None
    if result:
        proposed = "、".join(_public_categories(result["categories"])) or "不符合自动认定的类别，由镇集体研判"
        findings = (
            "经入户调查和家庭经济状况核对，共同生活家庭成员人均月收入 "
            f"{result['per_capita_monthly_income']} 元；拟认定类别：{proposed}。"
        )
    else:
        findings = "经入户调查和家庭经济状况核对，家庭情况与申报一致。"
    return PublicItem(
        name=public_name(application.applicant.name, masked=masked),
        household_size=size,
        application_type=APPLICATION_TYPE,
        situation=f"家庭共 {size} 人，户籍所在地{application.household.village.name}。",
        findings=findings,
        outcome=item.get_outcome_display(),
    )


def _items_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "items",
        queryset=NoticeItem.objects.select_related(
            "application__applicant", "application__assessment", "application__household__village"
        ).annotate(
            member_count=Count(
                "application__household__members", filter=Q(application__household__members__is_active=True)
            )
        ),
    )


def posted_notices(*, village: OrgUnit | None = None) -> QuerySet[Notice]:
    notices = Notice.objects.filter(status=NoticeStatus.POSTED).select_related("village__parent")
    if village is not None:
        notices = notices.filter(village=village)
    return notices.prefetch_related(_items_prefetch()).order_by("village__code", "-posted_on")


def public_notice(pk: int) -> tuple[Notice, list[PublicItem]] | None:
    """A notice as the public reads it (posted or closed; never a draft)."""
    notice = (
        Notice.objects.filter(pk=pk, status__in=[NoticeStatus.POSTED, NoticeStatus.CLOSED])
        .select_related("village__parent")
        .prefetch_related(_items_prefetch())
        .first()
    )
    if notice is None:
        return None
    masked = names_masked(notice.village, notice.posted_on)
    for item in notice.items.all():
        item.application.household.member_count = item.member_count  # type: ignore[attr-defined]
    return notice, [public_item(item, masked=masked) for item in notice.items.all()]


@dataclass(frozen=True)
class ListedHousehold:
    name: str
    categories: list[str]
    household_size: int
    since: date


def long_term_list(*, village: OrgUnit, on: date | None = None) -> list[ListedHousehold]:
    """The households of a village receiving assistance now (长期公示), from enrollments: a fixed number of
    queries whatever the village's size."""
    day = on or timezone.localdate()
    enrollments = Enrollment.objects.filter(
        enrolled_on(day),
        household__village=village,
        household__is_active=True,
    ).values_list("household_id", "category", "start_date")
    by_household: dict[int, tuple[set[str], date]] = {}
    for household_id, category, start in enrollments:
        codes, since = by_household.get(household_id, (set(), start))
        codes.add(category)
        by_household[household_id] = (codes, min(since, start))
    sizes: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for household_id, relation, name in Member.objects.filter(
        household_id__in=by_household, is_active=True
    ).values_list("household_id", "relation", "name"):
        sizes[household_id] += 1
        if relation == "applicant":
            names[household_id] = name
    masked = names_masked(village, day)
    rows = [
        ListedHousehold(
            name=public_name(names.get(household_id, "—"), masked=masked),
            categories=_public_categories(codes),
            household_size=sizes[household_id],
            since=since,
        )
        for household_id, (codes, since) in by_household.items()
    ]
    return sorted(
        rows, key=lambda row: (PUBLIC_ORDER.index(row.categories[0]) if row.categories else 99, row.since)
    )


def public_villages() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind="village").select_related("parent").order_by("code")


# Staff side --------------------------------------------------------------------------------------


def awaiting_notice(*, village: OrgUnit) -> QuerySet[Application]:
    """Cases the town has sent to this village for a notice and that are in no open notice yet."""
    in_open = NoticeItem.objects.filter(
        outcome=ItemOutcome.PENDING, notice__status__in=[NoticeStatus.DRAFT, NoticeStatus.POSTED]
    ).values("application_id")
    return (
        Application.objects.filter(stage=Stage.PUBLICIZING, household__village=village)
        .exclude(pk__in=in_open)
        .select_related("applicant", "household")
        .order_by("pk")
    )


def staff_notices(*, user: Any) -> QuerySet[Notice]:
    """The notices of the villages this user may read."""
    return (
        Notice.objects.filter(village__in=OrgUnit.objects.filter(villages_readable_filter(user)))
        .select_related("village__parent")
        .order_by("-pk")
    )
