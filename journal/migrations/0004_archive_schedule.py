"""The monthly archive of journal rows past their retention (DESIGN §3.13), as a django-celery-beat row."""

from django.db import migrations

TIMEZONE = "Asia/Shanghai"
NAME = "每月归档过期的访问留痕"


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_month="1", month_of_year="*", day_of_week="*", timezone=TIMEZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "journal.tasks.archive_journal",
            "crontab": crontab,
            "description": "每月1日 02:00：把超过保存期（至少180天）的访问留痕移入压缩文件，保存文件摘要。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_archive"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(seed, unseed)]
