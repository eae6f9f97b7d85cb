"""A beat schedule seeded by a migration (django-celery-beat's database scheduler, Asia/Shanghai): one row
per task, which the administrator may edit in the admin (定时任务). The apps' migrations use this one
operation instead of each writing its own seed and unseed."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TIMEZONE = "Asia/Shanghai"
BEAT_MIGRATION = ("django_celery_beat", "0019_alter_periodictasks_options")


def seed_schedule(*, name: str, task: str, cron: tuple[str, str, str, str, str], description: str) -> Any:
    """A RunPython that adds the row `name` running `task` at `cron` (minute, hour, day of month, month,
    day of week) unless it is there, and removes it when the migration is reversed."""
    minute, hour, day_of_month, month_of_year, day_of_week = cron

    def seed(apps: Any, schema_editor: Any) -> None:
        crontab, _ = apps.get_model("django_celery_beat", "CrontabSchedule").objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone=TIMEZONE,
        )
        apps.get_model("django_celery_beat", "PeriodicTask").objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description}
        )

    def unseed(apps: Any, schema_editor: Any) -> None:
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()

    return migrations.RunPython(seed, unseed)
