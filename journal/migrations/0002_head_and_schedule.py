"""The chain's head row, and the daily verification of the chain as a django-celery-beat row."""

from django.db import migrations

from daye_relief.schedules import BEAT_MIGRATION, seed_schedule


def make_head(apps, schema_editor):
    apps.get_model("journal", "Head").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial"), BEAT_MIGRATION]

    operations = [
        migrations.RunPython(make_head, migrations.RunPython.noop),
        seed_schedule(
            name="每日校验访问留痕链",
            task="journal.tasks.verify_journal",
            cron=("30", "3", "*", "*", "*"),
            description="每日 03:30：逐条重算访问留痕的摘要链；链断开时在系统管理员首页告警。",
        ),
    ]
