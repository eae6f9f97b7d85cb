"""The daily disabling of staff accounts unused for 90 days (DESIGN §3.13), as a django-celery-beat row."""

from django.db import migrations

TIMEZONE = "Asia/Shanghai"
NAME = "每日停用长期未使用的账号"


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45", hour="3", day_of_month="*", month_of_year="*", day_of_week="*", timezone=TIMEZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "accounts.tasks.disable_unused_accounts",
            "crontab": crontab,
            "description": "每日 03:45：停用90天未登录的账号（不删除，系统管理员可重新启用）。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_endedsession_user_password_changed_at_passwordrecord_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
