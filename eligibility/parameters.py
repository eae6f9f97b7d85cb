"""Policy parameters (DESIGN §3.3) as plain values, with the defaults the project ships.

Every parameter is stored as a number under a stable snake_case code, so that one table of dated,
region-scoped rows can hold them all. Non-numeric choices are numbers too:

- unit ``bool``: 1 means yes, 0 means no (``business_allowed_*``, ``notice_working_days``);
- the public-notice unit is the boolean ``notice_working_days``: 0 = calendar days (the default),
  1 = working days; ``ParameterSet.notice_unit`` turns it into "calendar_days" / "working_days";
- unit ``percent``: 70 means 70 %.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from households.codes import REGION_CODE

DEFAULT_REGION_CODE = REGION_CODE
DEFAULT_VALID_FROM = date(2025, 1, 1)

_PLACEHOLDER = "占位值：未找到正式文件，请按本地文件替换"
_PLAN_MARGINAL = "试点方案 二(一)2(3)"
_PLAN_RIGID = "试点方案 二(一)2(5)"
_PLAN_NOTICE = "试点方案 二(三)3"
_ANNEX_MEDICAL = "试点方案附件：市医保局职责"
_HUBEI_MARGINAL = "湖北省低保边缘家庭认定规定（2024）"
_NATIONAL_TEKUN = "国家规定：特困人员基本生活标准不低于低保标准的1.3倍"


@dataclass(frozen=True)
class ParameterDefault:
    code: str
    label: str
    value: Decimal
    unit: str  # yuan_per_month, yuan_per_year, multiplier, months, count, bool, percent, days
    source: str
    placeholder: bool


def _d(code: str, label: str, value: str, unit: str, source: str) -> ParameterDefault:
    return ParameterDefault(code, label, Decimal(value), unit, source, placeholder=source == _PLACEHOLDER)


PARAMETER_DEFAULTS: tuple[ParameterDefault, ...] = (
    _d("dibao_standard_rural", "农村低保标准（每月）", "600", "yuan_per_month", _PLACEHOLDER),
    _d("dibao_standard_urban", "城市低保标准（每月）", "780", "yuan_per_month", _PLACEHOLDER),
    _d(
        "tekun_standard_multiplier",
        "特困人员基本生活标准（低保标准的倍数）",
        "1.3",
        "multiplier",
        _NATIONAL_TEKUN,
    ),
    _d("marginal_multiplier", "低保边缘收入上限（低保标准的倍数）", "2", "multiplier", _PLAN_MARGINAL),
    _d("monitoring_standard_annual", "防止返贫监测标准（人均每年）", "7800", "yuan_per_year", _PLACEHOLDER),
    _d("disposable_income_rural", "上年度农村居民人均可支配收入", "21000", "yuan_per_year", _PLACEHOLDER),
    _d("disposable_income_urban", "上年度城镇居民人均可支配收入", "45000", "yuan_per_year", _PLACEHOLDER),
    _d("rigid_expense_ratio", "刚性支出困难：支出须大于收入的倍数", "1", "multiplier", _PLAN_RIGID),
    _d(
        "financial_assets_months_dibao",
        "低保：人均金融资产上限（低保标准的月数）",
        "12",
        "months",
        _PLACEHOLDER,
    ),
    _d(
        "financial_assets_months_marginal",
        "低保边缘：人均金融资产上限（低保标准的月数）",
        "24",
        "months",
        _PLACEHOLDER,
    ),
    _d("vehicles_allowed_dibao", "低保：允许拥有的机动车数量", "0", "count", _PLACEHOLDER),
    _d("vehicles_allowed_marginal", "低保边缘：允许拥有的机动车数量", "1", "count", _HUBEI_MARGINAL),
    _d("vehicle_value_months", "机动车价值上限（低保标准的月数，须低于）", "24", "months", _HUBEI_MARGINAL),
    _d("dwellings_allowed_dibao", "低保：允许拥有的住房套数", "1", "count", _PLACEHOLDER),
    _d("dwellings_allowed_marginal", "低保边缘：允许拥有的住房套数", "2", "count", _PLACEHOLDER),
    _d("business_allowed_dibao", "低保：允许登记注册经营实体（1 是，0 否）", "0", "bool", _PLACEHOLDER),
    _d(
        "business_allowed_marginal", "低保边缘：允许登记注册经营实体（1 是，0 否）", "0", "bool", _PLACEHOLDER
    ),
    _d("gradual_exit_months", "渐退期（月）", "6", "months", _PLACEHOLDER),
    _d("medical_ratio_tekun", "医疗救助比例：特困人员", "100", "percent", _ANNEX_MEDICAL),
    _d("medical_ratio_dibao", "医疗救助比例：低保对象", "70", "percent", _ANNEX_MEDICAL),
    _d("medical_ratio_monitoring", "医疗救助比例：防返贫监测对象", "60", "percent", _ANNEX_MEDICAL),
    _d("medical_ratio_marginal", "医疗救助比例：低保边缘家庭成员", "60", "percent", _ANNEX_MEDICAL),
    _d("medical_ratio_illness", "医疗救助比例：因病致贫重病患者", "50", "percent", _ANNEX_MEDICAL),
    _d("premium_subsidy_tekun", "参保资助比例：特困人员", "100", "percent", _ANNEX_MEDICAL),
    _d("premium_subsidy_dibao", "参保资助比例：低保对象", "90", "percent", _ANNEX_MEDICAL),
    _d("notice_days", "公示期天数", "5", "days", _PLAN_NOTICE),
    _d("notice_working_days", "公示期按工作日计算（1 工作日，0 自然日）", "0", "bool", _PLAN_NOTICE),
    _d("public_name_masked", "公示名单隐去名字（1 隐去，0 公示全名）", "0", "bool", _PLAN_NOTICE),
    _d("visit_interval_months_tekun_dibao", "巡访间隔：特困和低保（月）", "3", "months", _PLACEHOLDER),
    _d("visit_interval_months_others", "巡访间隔：其他对象（月）", "6", "months", _PLACEHOLDER),
    _d(
        "medical_self_pay_alert",
        "预警：家庭近12个月政策范围内个人自付达到（元）",
        "10000",
        "yuan_per_year",
        _PLACEHOLDER,
    ),
    _d("warning_escalation_days", "预警：逾期超过多少个工作日报送市直局", "5", "days", _PLACEHOLDER),
)

PARAMETER_CODES: tuple[str, ...] = tuple(default.code for default in PARAMETER_DEFAULTS)


class InvalidParameters(ValueError):
    """A parameter set that cannot be built: a code missing or a value of the wrong kind."""


@dataclass(frozen=True)
class ParameterSet:
    """The thresholds in force for one region on one date. Field names are the parameter codes."""

    dibao_standard_rural: Decimal
    dibao_standard_urban: Decimal
    tekun_standard_multiplier: Decimal
    marginal_multiplier: Decimal
    monitoring_standard_annual: Decimal
    disposable_income_rural: Decimal
    disposable_income_urban: Decimal
    rigid_expense_ratio: Decimal
    financial_assets_months_dibao: int
    financial_assets_months_marginal: int
    vehicles_allowed_dibao: int
    vehicles_allowed_marginal: int
    vehicle_value_months: int
    dwellings_allowed_dibao: int
    dwellings_allowed_marginal: int
    business_allowed_dibao: bool
    business_allowed_marginal: bool
    gradual_exit_months: int
    medical_ratio_tekun: Decimal
    medical_ratio_dibao: Decimal
    medical_ratio_monitoring: Decimal
    medical_ratio_marginal: Decimal
    medical_ratio_illness: Decimal
    premium_subsidy_tekun: Decimal
    premium_subsidy_dibao: Decimal
    notice_days: int
    notice_working_days: bool
    public_name_masked: bool
    visit_interval_months_tekun_dibao: int
    visit_interval_months_others: int
    medical_self_pay_alert: Decimal
    warning_escalation_days: int
    refs: tuple[str, ...] = ()  # identifiers of the parameter rows used, echoed in evaluations

    @classmethod
    def from_values(cls, values: Mapping[str, Decimal], refs: Sequence[str] = ()) -> ParameterSet:
        """Builds the set from a code → value mapping; codes this set does not know are ignored."""
        missing = [code for code in PARAMETER_CODES if code not in values]
        if missing:
            raise InvalidParameters(f"缺少参数：{', '.join(missing)}")
        hints = typing.get_type_hints(cls)
        kwargs: dict[str, object] = {}
        for code in PARAMETER_CODES:
            kwargs[code] = _convert(code, Decimal(values[code]), hints[code])
        return cls(**kwargs, refs=tuple(refs))  # type: ignore[arg-type]

    def dibao_standard(self, hukou_type: str) -> Decimal:
        """The monthly 低保 standard for a hukou type ("rural" or "urban")."""
        return self.dibao_standard_urban if hukou_type == "urban" else self.dibao_standard_rural

    def disposable_income(self, hukou_type: str) -> Decimal:
        """Last year's per-capita disposable income for a hukou type."""
        return self.disposable_income_urban if hukou_type == "urban" else self.disposable_income_rural

    @property
    def notice_unit(self) -> str:
        return "working_days" if self.notice_working_days else "calendar_days"


def _convert(code: str, value: Decimal, kind: type) -> Decimal | int | bool:
    if not value.is_finite() or value < 0:
        raise InvalidParameters(f"参数 {code} 的值 {value} 无效。")
    if kind is Decimal:
        return value
    if value != value.to_integral_value():
        raise InvalidParameters(f"参数 {code} 应为整数，现为 {value}。")
    if kind is bool:
        if value not in (0, 1):
            raise InvalidParameters(f"参数 {code} 只能为 0 或 1，现为 {value}。")
        return value == 1
    return int(value)


def default_parameter_set() -> ParameterSet:
    """The shipped defaults (DESIGN §3.3), with the codes as refs."""
    return ParameterSet.from_values(
        {default.code: default.value for default in PARAMETER_DEFAULTS},
        refs=[f"default:{code}" for code in PARAMETER_CODES],
    )
