"""The schedules of DESIGN §3.6 as django-celery-beat rows (Asia/Shanghai), which beat's database scheduler
reads and the administrator may edit in the admin. Tasks are named, not imported: a schedule whose task no
worker knows yet is sent and dropped by the worker with a log line; beat itself carries on."""

from django.db import migrations

TIMEZONE = "Asia/Shanghai"

# (name shown in the admin, task, (minute, hour, day_of_month, month_of_year, day_of_week), description)
SCHEDULES = [
    (
        "每月共享数据同步",
        "monitoring.tasks.run_monthly_sync",
        ("0", "2", "5", "*", "*"),
        "每月5日 02:00：拉取各部门上月共享数据，导入并汇总。",
    ),
    (
        "每日案件期限提醒",
        "applications.tasks.refresh_deadline_flags",
        ("30", "5", "*", "*", "*"),
        "每日 05:30：标记即将到期和已超期的案件。",
    ),
    (
        "每日预警到期与升级",
        "monitoring.tasks.escalate_warnings",
        ("30", "5", "*", "*", "*"),
        "每日 05:30：超期未处置的预警推送至两局。",
    ),
    (
        "每日渐退期到期退出",
        "households.tasks.end_due_gradual_exits",
        ("30", "5", "*", "*", "*"),
        "每日 05:30：渐退期已满的低保纳入自期满次日退出。",
    ),
    (
        "每周逾期巡访清单",
        "monitoring.tasks.list_overdue_visits",
        ("0", "6", "*", "*", "1"),
        "每周一 06:00：按村列出逾期未巡访的家庭。",
    ),
    (
        "半年集中核对",
        "monitoring.tasks.half_yearly_check",
        ("0", "3", "10", "1,7", "*"),
        "每年1月10日、7月10日 03:00：生成半年集中核对的在册家庭成员名单。",
    ),
]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_month, month_of_year, day_of_week), description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description}
        )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(seed, unseed)]
