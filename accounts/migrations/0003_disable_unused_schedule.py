"""The daily disabling of staff accounts unused for 90 days (DESIGN §3.13), as a django-celery-beat row."""

from django.db import migrations

from daye_relief.schedules import BEAT_MIGRATION, seed_schedule


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_endedsession_user_password_changed_at_passwordrecord_and_more"), BEAT_MIGRATION]

    operations = [
        seed_schedule(
            name="每日停用长期未使用的账号",
            task="accounts.tasks.disable_unused_accounts",
            cron=("45", "3", "*", "*", "*"),
            description="每日 03:45：停用90天未登录的账号（不删除，系统管理员可重新启用）。",
        )
    ]
