"""Reading the journal (DESIGN §3.13): the administrator and the two bureaus read the whole city; a town's
clerk reads the rows about the town's households. Filters by person, household, member (by ID: hashed
before the query), action and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from accounts.access import scope_of
from accounts.glossary import Role

from .codes import Action
from .models import ChainBreak, Entry
from .services import id_hash

CITY_READERS = frozenset({Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER})


def reads_city(user: Any) -> bool:
    return bool(scope_of(user).roles & CITY_READERS)


def readable_towns(user: Any) -> frozenset[int]:
    """The towns whose households' journal a town clerk reads: the clerk's own (the scope's write towns)."""
    return scope_of(user).write_towns


def may_read(user: Any) -> bool:
    return reads_city(user) or bool(readable_towns(user))


def scoped(user: Any) -> QuerySet[Entry]:
    if reads_city(user):
        return Entry.objects.all()
    towns = sorted(readable_towns(user))
    if not towns:
        return Entry.objects.none()
    return Entry.objects.filter(town_id__in=towns)


@dataclass(frozen=True)
class JournalFilters:
    person: str = ""
    household_id: int | None = None
    id_number: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None

    def as_detail(self) -> dict[str, Any]:
        """The filters as an export's journal row keeps them: the ID only as its keyed hash."""
        return {
            key: value
            for key, value in {
                "person": self.person,
                "household": self.household_id,
                "id_hash": id_hash(self.id_number) if self.id_number else "",
                "action": self.action,
                "since": self.since.isoformat() if self.since else "",
                "until": self.until.isoformat() if self.until else "",
            }.items()
            if value
        }


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries(*, user: Any, filters: JournalFilters) -> QuerySet[Entry]:
    rows = scoped(user)
    if filters.person:
        rows = rows.filter(username=filters.person)
    if filters.household_id:
        rows = rows.filter(household_id=filters.household_id)
    if filters.id_number:
        rows = rows.filter(subject_hash=id_hash(filters.id_number))
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.since:
        rows = rows.filter(at__gte=_day_start(filters.since))
    if filters.until:
        rows = rows.filter(at__lt=_day_start(filters.until + timedelta(days=1)))
    return rows.order_by("-id")


def household_readers(*, household_id: int, limit: int = 20) -> list[Entry]:
    """ "Who looked at this family": the latest rows about one household."""
    return list(Entry.objects.filter(household_id=household_id).order_by("-id")[:limit])


# Unusual reading (DESIGN §3.13): counted on the bureaus' desk.


@dataclass(frozen=True)
class Unusual:
    many_households: list[tuple[str, date, int]]  # (user, day, households viewed)
    off_hours_full_ids: int
    full_id_exports: int

    @property
    def total(self) -> int:
        return len(self.many_households) + self.off_hours_full_ids + self.full_id_exports


def unusual(*, since: date, limit: int, work_start: int = 8, work_end: int = 18) -> Unusual:
    """Since `since`: users who viewed more than `limit` households in one day, full IDs viewed outside
    working hours (Asia/Shanghai), and exports that carried full ID numbers."""
    start = _day_start(since)
    views = (
        Entry.objects.filter(at__gte=start, action=Action.VIEW_HOUSEHOLD)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("username", "day")
        .annotate(households=Count("household_id", distinct=True))
        .filter(households__gt=limit)
        .order_by("-households")
    )
    local = timezone.get_current_timezone()
    off_hours = (
        Entry.objects.filter(at__gte=start, action=Action.VIEW_MEMBER_FULL_ID)
        .annotate(hour=ExtractHour("at", tzinfo=local), weekday=ExtractIsoWeekDay("at", tzinfo=local))
        .filter(Q(hour__lt=work_start) | Q(hour__gte=work_end) | Q(weekday__gte=6))
        .count()
    )
    exports = (
        Entry.objects.filter(at__gte=start, action__in=[Action.EXPORT_LIST, Action.EXPORT_CENTRAL_CHECK])
        .filter(Q(detail__full_ids=True))
        .count()
    )
    return Unusual(
        many_households=[(v["username"], v["day"], v["households"]) for v in views],
        off_hours_full_ids=off_hours,
        full_id_exports=exports,
    )


def open_chain_breaks() -> QuerySet[ChainBreak]:
    return ChainBreak.objects.filter(resolved=False)


DETAIL_LABELS = {
    "rows": "行数",
    "filters": "条件",
    "full_ids": "完整身份证号码",
    "dataset": "数据集",
    "form": "表单",
    "export": "清单",
    "change": "变更",
    "role": "角色",
    "org_unit": "机构编号",
    "members": "成员数",
    "kind": "类别",
    "on": "日期",
    "format": "格式",
    "department": "部门",
    "channel": "渠道",
    "expires_on": "有效期至",
    "q_kind": "查询内容",
    "town": "镇编号",
    "village": "村编号",
    "category": "类别",
    "person": "用户",
    "household": "家庭编号",
    "action": "操作",
    "since": "起",
    "until": "止",
}
VALUE_LABELS = {
    "added": "增加",
    "removed": "删除",
    "changed": "修改",
    "id_number": "身份证号码",
    "number": "户编号",
    "name": "姓名",
    **dict(Role.choices),
    **dict(Action.choices),
}


def detail_text(detail: dict[str, Any]) -> str:
    """A row's details in words: "行数：25；条件：查询内容：身份证号码"; an ID only as "按身份证号码查询"."""
    parts = []
    for key, value in detail.items():
        if key == "id_hash":
            parts.append("按身份证号码查询")
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, dict):
            value = f"（{detail_text(value)}）" if value else "无"
        elif isinstance(value, str):
            value = VALUE_LABELS.get(value, value)
        parts.append(f"{DETAIL_LABELS.get(key, key)}：{value}")
    return "；".join(parts)
