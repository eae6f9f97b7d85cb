"""Loads exactly the defaults of DESIGN §3.3: valid from 2025-01-01 with no end, for region 420281.

The values are written out here (not imported) so that this migration means the same thing forever.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

DEFAULTS = [
    ('dibao_standard_rural', '600', 'yuan_per_month', '占位值：未找到正式文件，请按本地文件替换', True),
    ('dibao_standard_urban', '780', 'yuan_per_month', '占位值：未找到正式文件，请按本地文件替换', True),
    ('tekun_standard_multiplier', '1.3', 'multiplier', '国家规定：特困人员基本生活标准不低于低保标准的1.3倍', False),
    ('marginal_multiplier', '2', 'multiplier', '试点方案 二(一)2(3)', False),
    ('monitoring_standard_annual', '7800', 'yuan_per_year', '占位值：未找到正式文件，请按本地文件替换', True),
    ('disposable_income_rural', '21000', 'yuan_per_year', '占位值：未找到正式文件，请按本地文件替换', True),
    ('disposable_income_urban', '45000', 'yuan_per_year', '占位值：未找到正式文件，请按本地文件替换', True),
    ('rigid_expense_ratio', '1', 'multiplier', '试点方案 二(一)2(5)', False),
    ('financial_assets_months_dibao', '12', 'months', '占位值：未找到正式文件，请按本地文件替换', True),
    ('financial_assets_months_marginal', '24', 'months', '占位值：未找到正式文件，请按本地文件替换', True),
    ('vehicles_allowed_dibao', '0', 'count', '占位值：未找到正式文件，请按本地文件替换', True),
    ('vehicles_allowed_marginal', '1', 'count', '湖北省低保边缘家庭认定规定（2024）', False),
    ('vehicle_value_months', '24', 'months', '湖北省低保边缘家庭认定规定（2024）', False),
    ('dwellings_allowed_dibao', '1', 'count', '占位值：未找到正式文件，请按本地文件替换', True),
    ('dwellings_allowed_marginal', '2', 'count', '占位值：未找到正式文件，请按本地文件替换', True),
    ('business_allowed_dibao', '0', 'bool', '占位值：未找到正式文件，请按本地文件替换', True),
    ('business_allowed_marginal', '0', 'bool', '占位值：未找到正式文件，请按本地文件替换', True),
    ('gradual_exit_months', '6', 'months', '占位值：未找到正式文件，请按本地文件替换', True),
    ('medical_ratio_tekun', '100', 'percent', '试点方案附件：市医保局职责', False),
    ('medical_ratio_dibao', '70', 'percent', '试点方案附件：市医保局职责', False),
    ('medical_ratio_monitoring', '60', 'percent', '试点方案附件：市医保局职责', False),
    ('medical_ratio_marginal', '60', 'percent', '试点方案附件：市医保局职责', False),
    ('medical_ratio_illness', '50', 'percent', '试点方案附件：市医保局职责', False),
    ('premium_subsidy_tekun', '100', 'percent', '试点方案附件：市医保局职责', False),
    ('premium_subsidy_dibao', '90', 'percent', '试点方案附件：市医保局职责', False),
    ('notice_days', '5', 'days', '试点方案 二(三)3', False),
    ('notice_working_days', '0', 'bool', '试点方案 二(三)3', False),
    ('visit_interval_months_tekun_dibao', '3', 'months', '占位值：未找到正式文件，请按本地文件替换', True),
    ('visit_interval_months_others', '6', 'months', '占位值：未找到正式文件，请按本地文件替换', True),
]


def load(apps, schema_editor):
    PolicyParameter = apps.get_model("eligibility", "PolicyParameter")
    HistoricalPolicyParameter = apps.get_model("eligibility", "HistoricalPolicyParameter")
    for code, value, unit, source, placeholder in DEFAULTS:
        row, created = PolicyParameter.objects.get_or_create(
            code=code,
            region_code="420281",
            valid_from=date(2025, 1, 1),
            defaults={"value": Decimal(value), "unit": unit, "source": source, "placeholder": placeholder},
        )
        if created:  # signals do not run in migrations: write the first history entry ourselves
            HistoricalPolicyParameter.objects.create(
                id=row.pk, code=code, region_code="420281", valid_from=row.valid_from, valid_to=None,
                value=row.value, unit=unit, source=source, placeholder=placeholder,
                history_date=timezone.now(), history_type="+", history_change_reason="系统初始化默认参数",
            )


def unload(apps, schema_editor):
    PolicyParameter = apps.get_model("eligibility", "PolicyParameter")
    PolicyParameter.objects.filter(region_code="420281", valid_from=date(2025, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_policy_parameters_assessments")]
    operations = [migrations.RunPython(load, unload)]
