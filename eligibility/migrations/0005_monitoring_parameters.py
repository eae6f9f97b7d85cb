"""Adds the two monitoring thresholds of DESIGN §3.3: the household medical self-pay that raises a warning,
and the working days past the due date after which a warning reaches the bureau's desk."""

from datetime import date
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

PLACEHOLDER = "占位值：未找到正式文件，请按本地文件替换"
ROWS = (
    ("medical_self_pay_alert", Decimal(10000), "yuan_per_year"),
    ("warning_escalation_days", Decimal(5), "days"),
)


def load(apps, schema_editor):
    PolicyParameter = apps.get_model("eligibility", "PolicyParameter")
    HistoricalPolicyParameter = apps.get_model("eligibility", "HistoricalPolicyParameter")
    for code, value, unit in ROWS:
        row, created = PolicyParameter.objects.get_or_create(
            code=code,
            region_code="420281",
            valid_from=date(2025, 1, 1),
            defaults={"value": value, "unit": unit, "source": PLACEHOLDER, "placeholder": True},
        )
        if created:
            HistoricalPolicyParameter.objects.create(
                id=row.pk, code=code, region_code="420281", valid_from=row.valid_from, valid_to=None,
                value=row.value, unit=unit, source=PLACEHOLDER, placeholder=True, history_date=timezone.now(),
                history_type="+", history_change_reason="系统初始化默认参数",
            )


def unload(apps, schema_editor):
    apps.get_model("eligibility", "PolicyParameter").objects.filter(code__in=[r[0] for r in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0004_parameter_choices")]
    operations = [migrations.RunPython(load, unload)]
