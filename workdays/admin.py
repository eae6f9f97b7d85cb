"""The administrator's screens for the holiday calendar (DESIGN §2). Only staff reach the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .forms import CalendarYearForm
from .models import WEEKDAY_LABELS, CalendarDay, CalendarYear
from .services import calendar_days_enter


def _ranges(days: list[Any]) -> str:
    """2027-02-05~2027-02-13、2027-02-20: consecutive dates folded into ranges."""
    parts: list[str] = []
    run: list[Any] = []
    for day in days:
        if run and (day - run[-1]).days != 1:
            parts.append(_fold(run))
            run = []
        run.append(day)
    if run:
        parts.append(_fold(run))
    return "、".join(parts) or "无"


def _fold(run: list[Any]) -> str:
    return run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}~{run[-1].isoformat()}"


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), f"{day.year}年") for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "weekday", "is_workday", "note"]
    list_display_links = ["date"]
    list_editable = ["is_workday", "note"]
    list_filter = [YearFilter, "is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]
    ordering = ["date"]
    list_per_page = 100

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return WEEKDAY_LABELS[obj.date.weekday()]


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    form = CalendarYearForm
    list_display = ["year", "complete", "source", "entered_days"]
    list_filter = ["complete"]
    search_fields = ["source", "note"]
    ordering = ["-year"]
    readonly_fields = ["entered_summary"]
    fieldsets = [
        (None, {"fields": ["year", "source", "note"]}),
        (
            "按通知登记日期",
            {
                "fields": ["holiday_dates", "workday_dates", "day_note", "entered_summary"],
                "description": "保存时登记下列日期（已登记的其他日期保留不变；"
                "要删除某日请到“节假日与调休”中操作）。",
            },
        ),
        (None, {"fields": ["complete"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        days = (
            CalendarDay.objects.filter(date__year=OuterRef("year"))
            .order_by()
            .values("date__year")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(day_count=Coalesce(Subquery(days, output_field=IntegerField()), 0))
        )

    @admin.display(description="已登记日期数", ordering="day_count")
    def entered_days(self, obj: CalendarYear) -> int:
        return int(getattr(obj, "day_count", 0))

    @admin.display(description="该年已登记")
    def entered_summary(self, obj: CalendarYear) -> str:
        if obj.pk is None:
            return "（保存后显示）"
        rows = list(CalendarDay.objects.filter(date__year=obj.year).values_list("date", "is_workday"))
        off = [day for day, working in rows if not working]
        working = [day for day, working in rows if working]
        return f"放假：{_ranges(off)}；调休上班：{_ranges(working)}"

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar_days_enter(
            year=obj.year,
            days_off=form.cleaned_data.get("holiday_dates") or [],
            working_days=form.cleaned_data.get("workday_dates") or [],
            note=form.cleaned_data.get("day_note") or "",
        )
