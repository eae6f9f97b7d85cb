"""The daily deletion of online applications marked as spam 30 days ago, as a django-celery-beat row."""

from django.db import migrations

from daye_relief.schedules import BEAT_MIGRATION, seed_schedule


class Migration(migrations.Migration):
    dependencies = [("online", "0001_initial"), BEAT_MIGRATION]

    operations = [
        seed_schedule(
            name="每日删除过期的无效线上申请",
            task="online.tasks.purge_spam",
            cron=("15", "4", "*", "*", "*"),
            description="每日 04:15：删除标记为无效申请满30天的线上申请及其材料。",
        )
    ]
