"""The property limits of the 低保 and the marginal categories (DESIGN §3.1), decided, then worded."""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import CATEGORY_LABELS, Household, Reason, compare_order, said, sentence, verdict


@dataclass(slots=True)
class Property:
    """The property limits of the 低保 (level "dibao") or the marginal (level "marginal") category, each
    decided; None where a limit does not apply (the vehicle value without a vehicle allowed and owned, the
    business where one is allowed)."""

    level: str
    financial: bool
    vehicles: bool
    vehicle_value: bool | None
    dwellings: bool
    business: bool | None
    passed: bool = field(init=False)  # every limit that applies is met

    def __post_init__(self) -> None:
        self.passed = (
            self.financial
            and self.vehicles
            and self.vehicle_value is not False
            and self.dwellings
            and self.business is not False
        )

    @property
    def verdict(self) -> str:
        return verdict(self.passed, self.level)

    def _lines(self, household: Household) -> list[tuple[bool, str, str]]:
        """(held, the staff's line with the operator that holds, what the family reads when it failed)."""
        params, assets, std = household.parameters, household.snapshot.assets, household.standard
        level, label = self.level, CATEGORY_LABELS[self.level]
        months = getattr(params, f"financial_assets_months_{level}")
        vehicles_allowed: int = getattr(params, f"vehicles_allowed_{level}")
        dwellings_allowed: int = getattr(params, f"dwellings_allowed_{level}")
        limit = months * std
        lines = [
            (
                self.financial,
                household.sentence_per_capita(
                    "人均金融资产",
                    assets.financial_assets,
                    "≤",
                    self.financial,
                    f"{months}个月低保标准",
                    limit,
                ),
                household.said_per_capita(
                    "家庭人均金融资产", assets.financial_assets, f"{months}个月低保标准合计", limit
                ),
            ),
            (
                self.vehicles,
                (
                    f"机动车 {assets.motor_vehicles} 辆 {'≤' if self.vehicles else '>'} "
                    f"允许 {vehicles_allowed} 辆"
                ),
                f"家庭有机动车 {assets.motor_vehicles} 辆，{label}不允许拥有机动车"
                if vehicles_allowed == 0
                else f"家庭有机动车 {assets.motor_vehicles} 辆，多于{label}允许的 {vehicles_allowed} 辆",
            ),
        ]
        if self.vehicle_value is not None:
            value_months = params.vehicle_value_months
            value_limit = value_months * std
            value = assets.motor_vehicle_value
            order = compare_order(value, value_limit)
            lines.append(
                (
                    self.vehicle_value,
                    sentence(
                        "机动车价值",
                        value,
                        "<",
                        self.vehicle_value,
                        f"{value_months}个月低保标准",
                        value_limit,
                    ),
                    said("机动车价值", value, f"{value_months}个月低保标准合计", value_limit, order=order)
                    + "（须低于此数）",
                )
            )
        lines.append(
            (
                self.dwellings,
                f"住房 {assets.houses} 套 {'≤' if self.dwellings else '>'} 允许 {dwellings_allowed} 套",
                f"家庭有住房 {assets.houses} 套，多于{label}允许的 {dwellings_allowed} 套",
            )
        )
        if self.business is not None:
            lines.append(
                (
                    self.business,
                    "无登记注册的经营实体" if self.business else "有登记注册的经营实体",
                    "家庭成员有登记注册的公司、企业或经营实体",
                )
            )
        return lines

    def family(self, household: Household) -> str:
        """For the family: "家庭财产符合低保条件", or what exceeds the limits."""
        label = CATEGORY_LABELS[self.level]
        if self.passed:
            return f"家庭财产符合{label}条件"
        failures = "；".join(failure for ok, _, failure in self._lines(household) if not ok)
        return f"家庭财产超出{label}条件：{failures}"

    def reason(self, household: Household) -> Reason:
        detail = f"{self.verdict}：" + "；".join(line for _, line, _ in self._lines(household))
        return Reason(
            f"property_{self.level}", self.passed, detail, family_text=self.family(household) + "。"
        )


def property_limits(household: Household, level: str) -> Property:
    """Decides the property limits of a level (DESIGN §3.1)."""
    assets, limits = household.snapshot.assets, household.limits
    financial_limit = limits.financial_dibao if level == "dibao" else limits.financial_marginal
    vehicles_allowed, dwellings_allowed, business_allowed = limits.allowed[level]
    return Property(
        level,
        household.below(assets.financial_assets, financial_limit, strict=False),
        assets.motor_vehicles <= vehicles_allowed,
        (
            assets.motor_vehicle_value < limits.vehicle_value
            if vehicles_allowed > 0 and assets.motor_vehicles > 0
            else None
        ),
        assets.houses <= dwellings_allowed,
        None if business_allowed else not assets.registered_business,
    )
