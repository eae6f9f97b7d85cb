"""The daily deletion of old list exports (desk.retention) as a django-celery-beat row, like 0001's."""

from django.db import migrations

TIMEZONE = "Asia/Shanghai"
NAME = "每日清理过期导出文件"


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="4", day_of_month="*", month_of_year="*", day_of_week="*", timezone=TIMEZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "desk.tasks.delete_expired_exports",
            "crontab": crontab,
            "description": "每日 04:00：删除超过保留期（默认7天）的清单导出文件。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("daye_relief", "0001_schedules")]

    operations = [migrations.RunPython(seed, unseed)]
