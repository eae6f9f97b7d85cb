"""The chain's head row, and the daily verification of the chain as a django-celery-beat row."""

from django.db import migrations

TIMEZONE = "Asia/Shanghai"
NAME = "每日校验访问留痕链"


def seed(apps, schema_editor):
    apps.get_model("journal", "Head").objects.get_or_create(pk=1)
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_month="*", month_of_year="*", day_of_week="*", timezone=TIMEZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "journal.tasks.verify_journal",
            "crontab": crontab,
            "description": "每日 03:30：逐条重算访问留痕的摘要链；链断开时在系统管理员首页告警。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(seed, unseed)]
