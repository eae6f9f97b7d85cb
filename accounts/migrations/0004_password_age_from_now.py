"""Accounts from before passwords had an age (DESIGN §3.13): their 90 days count from this migration, not
from the day the account was made — nobody is locked into a password change on the day of the update."""

from django.db import migrations
from django.utils import timezone


def start_the_clock(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(password_changed_at__isnull=True).update(
        password_changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_disable_unused_schedule")]

    operations = [migrations.RunPython(start_the_clock, migrations.RunPython.noop)]
