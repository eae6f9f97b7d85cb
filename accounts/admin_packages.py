"""The admin pages of the installed packages, in Chinese where the packages give no translatable text.

django-axes (login lockout) and django-celery-beat (schedules) register their own admin pages; most of
their text is translated through the project's catalogue (locale/), but some is not translatable: column
labels taken from method names, a literal verbose name, English cron descriptions. Those pages are
registered again here with Chinese labels; what they do is unchanged.
"""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from cron_descriptor import (
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
    get_description,
)
from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ENGLISH_NAMES = {
    **{name: f"{number}月" for number, name in enumerate(MONTHS, start=1)},
    **{name: f"星期{'一二三四五六日'[number]}" for number, name in enumerate(WEEKDAYS)},
}


def cron_in_chinese(crontab: CrontabSchedule | None) -> str:
    """A crontab read in Chinese (每分钟, 在 05:30), with its time zone."""
    if crontab is None:
        return "—"
    expression = " ".join(
        [crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week]
    )
    options = Options()
    options.locale_code = "zh_CN"
    options.use_24hour_time_format = True
    try:
        described = get_description(expression, options)
    except (MissingFieldException, FormatException, WrongArgumentException):
        return f"{expression}（{crontab.timezone}）"
    # cron-descriptor's Chinese leaves the names of months and weekdays in English.
    for english, chinese in ENGLISH_NAMES.items():
        described = described.replace(english, chinese)
    return f"{described}（{crontab.timezone}）"


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = readonly_fields = ("name", "task_name", "args", "kwargs")
    verbose_name = verbose_name_plural = "使用此计划的定时任务"

    @admin.display(description="任务名称")
    def task_name(self, obj: PeriodicTask) -> str:
        return obj.task


class ScheduleAdmin(admin.ModelAdmin):
    inlines = [PeriodicTaskInline]


class ClockedScheduleAdmin(ScheduleAdmin, beat_admin.ClockedScheduleAdmin):
    pass


class CrontabScheduleAdmin(ScheduleAdmin, beat_admin.CrontabScheduleAdmin):
    list_display = ("__str__", "described")
    fields = ("described", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("described",)

    @admin.display(description="执行时间说明")
    def described(self, obj: CrontabSchedule) -> str:
        return cron_in_chinese(obj)


class SolarScheduleAdmin(ScheduleAdmin, beat_admin.SolarScheduleAdmin):
    pass


class IntervalScheduleAdmin(ScheduleAdmin, beat_admin.IntervalScheduleAdmin):
    pass


class TaskNameFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "任务名称"


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "interval", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", ("task", TaskNameFilter), "start_time", "last_run_at"]

    @admin.display(description="执行计划")
    def schedule(self, obj: PeriodicTask) -> str:
        return cron_in_chinese(obj.crontab) if obj.crontab else str(obj.scheduler or "—")

    @admin.display(description="执行时间说明")
    def crontab_translation(self, obj: PeriodicTask) -> str:
        return cron_in_chinese(obj.crontab)

    def changeform_view(
        self, request: Any, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        # The page shows the chosen crontab's description as the crontab menu changes.
        extra_context = {
            **(extra_context or {}),
            "readable_crontabs": {c.pk: cron_in_chinese(c) for c in CrontabSchedule.objects.all()},
        }
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["task"].label = "任务（自定义）"
        form.base_fields["regtask"].label = "任务（已注册）"
        return form


class ReadOnlyRows:
    """Lockout records are read and deleted, never edited: no link to a change page."""

    list_display_links = None


class LockoutAttemptAdmin(ReadOnlyRows, AccessAttemptAdmin):
    @admin.display(description="状态")
    def status(self, obj: AccessAttempt) -> str:
        return str(super().status(obj))

    @admin.display(description="过期时间")
    def expiration(self, obj: AccessAttempt) -> Any:
        return super().expiration(obj)


class LockoutLogAdmin(ReadOnlyRows, AccessLogAdmin):
    pass


class LockoutFailureLogAdmin(ReadOnlyRows, AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (PeriodicTask, PeriodicTaskAdmin),
    (ClockedSchedule, ClockedScheduleAdmin),
    (CrontabSchedule, CrontabScheduleAdmin),
    (SolarSchedule, SolarScheduleAdmin),
    (IntervalSchedule, IntervalScheduleAdmin),
    (AccessAttempt, LockoutAttemptAdmin),
    (AccessLog, LockoutLogAdmin),
    (AccessFailureLog, LockoutFailureLogAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
