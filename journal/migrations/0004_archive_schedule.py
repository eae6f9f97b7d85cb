"""The monthly archive of journal rows past their retention (DESIGN §3.13), as a django-celery-beat row."""

from django.db import migrations

from daye_relief.schedules import BEAT_MIGRATION, seed_schedule


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_archive"), BEAT_MIGRATION]

    operations = [
        seed_schedule(
            name="每月归档过期的访问留痕",
            task="journal.tasks.archive_journal",
            cron=("0", "2", "1", "*", "*"),
            description="每月1日 02:00：把超过保存期（至少180天）的访问留痕移入压缩文件，保存文件摘要。",
        )
    ]
