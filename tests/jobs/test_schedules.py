"""The schedules of DESIGN §3.6 are rows of django-celery-beat's tables (seeded by a migration, edited in
the admin), which beat's database scheduler reads; a schedule whose task no worker knows yet is sent and
does not stop beat."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from accounts.models import User
from daye_relief.celery import app

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_RUN = datetime(2026, 1, 10, 3, 0, tzinfo=SHANGHAI)  # a Saturday
# task → the next run beat computes after LAST_RUN (Asia/Shanghai)
EXPECTED = {
    "monitoring.tasks.run_monthly_sync": datetime(2026, 2, 5, 2, 0, tzinfo=SHANGHAI),
    "applications.tasks.refresh_deadline_flags": datetime(2026, 1, 10, 5, 30, tzinfo=SHANGHAI),
    "monitoring.tasks.escalate_warnings": datetime(2026, 1, 10, 5, 30, tzinfo=SHANGHAI),
    "households.tasks.end_due_gradual_exits": datetime(2026, 1, 10, 5, 30, tzinfo=SHANGHAI),
    "monitoring.tasks.list_overdue_visits": datetime(2026, 1, 12, 6, 0, tzinfo=SHANGHAI),  # Monday
    "monitoring.tasks.half_yearly_check": datetime(2026, 7, 10, 3, 0, tzinfo=SHANGHAI),
    "desk.tasks.delete_expired_exports": datetime(2026, 1, 10, 4, 0, tzinfo=SHANGHAI),
    "online.tasks.purge_spam": datetime(2026, 1, 10, 4, 15, tzinfo=SHANGHAI),  # DESIGN §3.12
    "journal.tasks.verify_journal": datetime(2026, 1, 10, 3, 30, tzinfo=SHANGHAI),  # DESIGN §3.13
    "journal.tasks.archive_journal": datetime(2026, 2, 1, 2, 0, tzinfo=SHANGHAI),  # DESIGN §3.13, monthly
    "accounts.tasks.disable_unused_accounts": datetime(2026, 1, 10, 3, 45, tzinfo=SHANGHAI),  # §3.13
}


def test_the_migration_seeds_every_schedule_of_design_3_6_in_asia_shanghai():
    tasks = {task.task: task for task in PeriodicTask.objects.select_related("crontab")}
    assert set(tasks) == set(EXPECTED)
    scheduler = DatabaseScheduler(app=app, lazy=True)
    for name, expected in EXPECTED.items():
        row = tasks[name]
        assert row.enabled
        assert str(row.crontab.timezone) == "Asia/Shanghai"
        last, delta, _ = scheduler.Entry(row, app=app).schedule.remaining_delta(LAST_RUN)
        assert last + delta == expected, name
    half_yearly = tasks["monitoring.tasks.half_yearly_check"].crontab
    assert (half_yearly.day_of_month, half_yearly.month_of_year) == ("10", "1,7")


def test_settings_hold_no_second_schedule():
    assert not app.conf.beat_schedule  # beat installs these into the database on start: one source only


def test_beat_sends_a_task_no_worker_knows_yet_and_carries_on():
    app.loader.import_default_modules()
    assert "monitoring.tasks.not_written_yet" not in app.tasks
    row = PeriodicTask.objects.create(
        name="尚未注册的任务",
        task="monitoring.tasks.not_written_yet",
        crontab=PeriodicTask.objects.get(task="monitoring.tasks.list_overdue_visits").crontab,
    )
    app.control.purge()
    scheduler = DatabaseScheduler(app=app, lazy=True)
    scheduler.apply_async(scheduler.Entry(row, app=app))  # sent by name
    assert app.control.purge() == 1


def test_the_administrator_edits_the_schedules_in_the_admin(client, world):
    User.objects.filter(pk=world.users["administrator"].pk).update(is_staff=True, is_superuser=True)
    client.force_login(world.users["administrator"])
    page = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    for name in (
        "每月共享数据同步",
        "每日案件期限提醒",
        "每日渐退期到期退出",
        "每周逾期巡访清单",
        "半年集中核对",
        "每日清理过期导出文件",
    ):
        assert name in page
    row = PeriodicTask.objects.get(task="monitoring.tasks.list_overdue_visits")
    page = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[row.pk])).content.decode()
    assert "monitoring.tasks.list_overdue_visits" in page
