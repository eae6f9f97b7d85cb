"""Adds the parameter that decides whether public lists show full names (the default) or mask the given name."""

from datetime import date
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

CODE = "public_name_masked"
SOURCE = "试点方案 二(三)3"


def load(apps, schema_editor):
    PolicyParameter = apps.get_model("eligibility", "PolicyParameter")
    HistoricalPolicyParameter = apps.get_model("eligibility", "HistoricalPolicyParameter")
    row, created = PolicyParameter.objects.get_or_create(
        code=CODE,
        region_code="420281",
        valid_from=date(2025, 1, 1),
        defaults={"value": Decimal(0), "unit": "bool", "source": SOURCE, "placeholder": False},
    )
    if created:
        HistoricalPolicyParameter.objects.create(
            id=row.pk, code=CODE, region_code="420281", valid_from=row.valid_from, valid_to=None, value=row.value,
            unit="bool", source=SOURCE, placeholder=False, history_date=timezone.now(), history_type="+",
            history_change_reason="系统初始化默认参数",
        )


def unload(apps, schema_editor):
    apps.get_model("eligibility", "PolicyParameter").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0002_parameter_defaults")]
    operations = [migrations.RunPython(load, unload)]
