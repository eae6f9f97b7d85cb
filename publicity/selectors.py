"""Reads for notices. What the public sees is built here from structured data only: village, name, category,
household size, dates and figures — never an ID number, a phone number, an address beyond the village, or
a health or disability detail. Every page on the internet masks names (张*明); only the notice printed for
the village's fixed board shows them in full (DESIGN §3.4), unless the `public_name_masked` parameter
asks to mask the board too."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.access import villages_readable_filter
from accounts.models import OrgUnit
from applications.glossary import Stage
from applications.models import Application, ApplicationEvent
from eligibility.selectors import ParameterTable
from households.models import Enrollment, Member
from households.names import mask_name
from households.selectors.households import enrolled_on

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
    """The full name, or the name masked as the internet shows it: 柯大山 → 柯*山."""
    return mask_name(name) if masked else name


def board_names_masked(village: OrgUnit, on: date | None = None) -> bool:
    """Whether the printed board notice masks names too (the parameter; by default it shows them)."""
    return ParameterTable.load().in_force(village.code, on or timezone.localdate()).public_name_masked


def committee_name(village: OrgUnit) -> str:
    """The committee that signs a village's notice, the village named once: 东湖村 → 东湖村村民委员会,
    湖滨社区 → 湖滨社区居民委员会."""
    if village.name.endswith("社区"):
        return f"{village.name}居民委员会"
    return f"{village.name}村民委员会"


def _returned_since_added() -> Exists:
    return Exists(
        ApplicationEvent.objects.filter(
            application=OuterRef("application"), to_stage=Stage.INVESTIGATING, at__gt=OuterRef("added_at")
        )
    )


def live_items() -> QuerySet[NoticeItem]:
    """The items whose case is still on its notice: no outcome yet, the case still at the notice stage,
    and not returned to investigation since it joined (a case returned from its own page, or withdrawn,
    leaves the notice at once, even before the notice is closed)."""
    return NoticeItem.objects.filter(
        ~_returned_since_added(), outcome=ItemOutcome.PENDING, application__stage=Stage.PUBLICIZING
    )


def is_live(item: NoticeItem) -> bool:
    return live_items().filter(pk=item.pk).exists()


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


def public_item(item: NoticeItem, *, masked: bool = True) -> PublicItem:
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


def _items_prefetch(items: QuerySet[NoticeItem] | None = None) -> Prefetch[Any]:
    """The notice's items as the public reads them (by default: only the cases still on it)."""
    return Prefetch(
        "items",
        queryset=(live_items() if items is None else items)
        .select_related(
            "application__applicant", "application__assessment", "application__household__village"
        )
        .annotate(
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


def _public_items(notice: Notice, *, masked: bool) -> list[PublicItem]:
    for item in notice.items.all():
        item.application.household.member_count = item.member_count  # type: ignore[attr-defined]
    return [public_item(item, masked=masked) for item in notice.items.all()]


def public_notice(pk: int) -> tuple[Notice, list[PublicItem]] | None:
    """A posted notice as the internet reads it: the cases still on it, names masked. A draft was never
    public and a closed notice has left the public pages (the long-term lists take over)."""
    notice = (
        Notice.objects.filter(pk=pk, status=NoticeStatus.POSTED)
        .select_related("village__parent")
        .prefetch_related(_items_prefetch())
        .first()
    )
    if notice is None:
        return None
    return notice, _public_items(notice, masked=True)


def closed_notice_village(pk: int) -> OrgUnit | None:
    """The village of a closed notice (for the page that says it ended and points to the long-term list)."""
    notice = (
        Notice.objects.filter(pk=pk, status=NoticeStatus.CLOSED).select_related("village__parent").first()
    )
    return notice.village if notice else None


def board_notice(notice: Notice) -> list[PublicItem]:
    """The notice printed for the village's fixed board (staff only): the cases still on it, names in
    full so that neighbours know whom an objection concerns (unless the parameter masks them)."""
    # A closed notice's record lists the cases that ran its whole window.
    items = (
        NoticeItem.objects.filter(outcome=ItemOutcome.NO_OBJECTION)
        if notice.status == NoticeStatus.CLOSED
        else None
    )
    loaded = (
        Notice.objects.filter(pk=notice.pk)
        .select_related("village__parent")
        .prefetch_related(_items_prefetch(items))
        .get()
    )
    return _public_items(loaded, masked=board_names_masked(loaded.village, loaded.posted_on))


@dataclass(frozen=True)
class ListedHousehold:
    name: str
    categories: list[str]
    household_size: int
    since: date


@dataclass(frozen=True)
class _LongTermEntry:
    household_id: int
    categories: list[str]
    since: date


def _long_term_order(*, village: OrgUnit, on: date | None = None) -> list[_LongTermEntry]:
    """The village's households receiving assistance on a date, in the list's order (category, then since
    when), from its enrollments alone: one query."""
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
    entries = [
        _LongTermEntry(household_id, _public_categories(codes), since)
        for household_id, (codes, since) in by_household.items()
    ]
    return sorted(
        entries,
        key=lambda entry: (PUBLIC_ORDER.index(entry.categories[0]) if entry.categories else 99, entry.since),
    )


def long_term_rows(entries: list[_LongTermEntry]) -> list[ListedHousehold]:
    """The listed households of these entries, in their order: each one's masked applicant and size
    (one query for their members)."""
    sizes: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for household_id, relation, name in Member.objects.filter(
        household_id__in=[entry.household_id for entry in entries], is_active=True
    ).values_list("household_id", "relation", "name"):
        sizes[household_id] += 1
        if relation == "applicant":
            names[household_id] = name
    return [
        ListedHousehold(
            name=public_name(names.get(entry.household_id, "—"), masked=True),
            categories=entry.categories,
            household_size=sizes[entry.household_id],
            since=entry.since,
        )
        for entry in entries
    ]


def long_term_list(*, village: OrgUnit, on: date | None = None) -> list[ListedHousehold]:
    """The households of a village receiving assistance now (长期公示), from enrollments: a fixed number of
    queries whatever the village's size."""
    return long_term_rows(_long_term_order(village=village, on=on))


def long_term_page(*, village: OrgUnit, number: Any, per_page: int) -> Page[ListedHousehold]:
    """One page of long_term_list: the order from the enrollments, the names and sizes of that page's
    households only (a village's list runs to a thousand households; a page shows a hundred)."""
    order: Page[Any] = Paginator(_long_term_order(village=village), per_page).get_page(number)
    order.object_list = long_term_rows(list(order.object_list))
    return order


def public_villages() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind="village").select_related("parent").order_by("code")


# Staff side --------------------------------------------------------------------------------------


def awaiting_notice(*, village: OrgUnit) -> QuerySet[Application]:
    """Cases the town has sent to this village for a notice and that are on no open notice yet."""
    in_open = (
        live_items()
        .filter(notice__status__in=[NoticeStatus.DRAFT, NoticeStatus.POSTED])
        .values("application_id")
    )
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


def draft_choices(*, notice: Notice) -> QuerySet[Application]:
    """The cases a draft may hold: those it holds and those still waiting for a notice."""
    return (
        Application.objects.filter(
            Q(pk__in=awaiting_notice(village=notice.village).values("pk"))
            | Q(pk__in=notice.items.values("application_id"))
        )
        .select_related("applicant", "household")
        .order_by("pk")
    )


def window_open(notice: Notice, today: date | None = None) -> bool:
    """Whether objections are taken today: the notice is posted and its window has not run out."""
    day = today or timezone.localdate()
    return (
        notice.status == NoticeStatus.POSTED
        and notice.posted_on is not None
        and notice.closes_on is not None
        and notice.posted_on <= day <= notice.closes_on
    )


@dataclass(frozen=True)
class StaffRow:
    item: NoticeItem
    view: PublicItem
    outcome: str
    live: bool


def staff_rows(*, notice: Notice) -> list[StaffRow]:
    """The notice's cases as the village and the town read them: full names, each case's outcome (待张贴
    on a draft; a case returned from its own page shows that it left), and the objections."""
    items = (
        notice.items.select_related(
            "application__applicant", "application__assessment", "application__household__village"
        )
        .prefetch_related("objections__recorded_by", "objections__answered_by")
        .annotate(
            live=ExpressionWrapper(
                Q(outcome=ItemOutcome.PENDING, application__stage=Stage.PUBLICIZING)
                & ~_returned_since_added(),
                output_field=BooleanField(),
            )
        )
    )
    rows = []
    for item in items:
        if notice.status == NoticeStatus.DRAFT and item.live:
            outcome = "待张贴"
        elif item.outcome == ItemOutcome.PENDING and not item.live:
            outcome = ItemOutcome.LEFT.label
        else:
            outcome = item.get_outcome_display()
        rows.append(StaffRow(item, public_item(item, masked=False), outcome, item.live))
    return rows
