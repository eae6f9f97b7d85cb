"""The shared datasets of DESIGN §3.6 as declarations: one table, read by the parser, the matcher, the
warning rules, the upload page and the API. Adding a dataset is adding a row here, not code."""

from __future__ import annotations

from dataclasses import dataclass, field

from households.glossary import DisabilityType, EducationLevel

from .glossary import Severity, WarningType

DATE, MONEY, INT, TEXT, ENUM, PERCENT = "date", "money", "int", "text", "enum", "percent"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str = TEXT
    required: bool = True
    # For ENUM: every accepted spelling (code or Chinese) → the stored code.
    choices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WarningRule:
    """The warning a matched row may raise. `condition` names a rule in monitoring/rules/warnings.py
    ("always" or a specific check); `to` is "department" (the dataset's) or "town" (the household's town)."""

    type: str
    severity: str
    to: str
    due_days: int
    condition: str = "always"


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    department: str  # the org unit code of the department that delivers it (accounts/orgs.py)
    columns: tuple[Column, ...]
    amount: str | None = None  # the column that identifies the row with the date (DESIGN §3.6 idempotence)
    assistance: str | None = None  # the money column that makes the row an assistance record (§3.8)
    warning: WarningRule | None = None

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return (ID_NUMBER, NAME, *self.columns)

    @property
    def date_column(self) -> str:
        return next(c.key for c in self.columns if c.type == DATE)


ID_NUMBER = Column("id_number", "身份证号")
NAME = Column("name", "姓名")


def _choices(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Accepts the code or its Chinese label."""
    return {**{code: code for code, _ in pairs}, **{label: code for code, label in pairs}}


LEVELS = _choices([(c.value, str(c.label)) for c in EducationLevel])
KINDS = _choices([(c.value, str(c.label)) for c in DisabilityType])
RATINGS = {**{x: x for x in "ABCD"}, **{f"{x}级": x for x in "ABCD"}}
YES_NO = {"是": "yes", "否": "no", "yes": "yes", "no": "no", "Y": "yes", "N": "no", "1": "yes", "0": "no"}
GRADES = {
    **{str(n): str(n) for n in range(1, 5)},
    **{f"{cn}级": str(n) for n, cn in enumerate("一二三四", start=1)},
}

DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        Dataset(
            "unemployment",
            "失业登记",
            "RSJ",
            (
                Column("registered_on", "登记日期", DATE),
                Column("benefit_monthly", "失业保险金", MONEY, False),
            ),
            amount="benefit_monthly",
            warning=WarningRule(WarningType.UNEMPLOYMENT, Severity.MEDIUM, "department", 10),
        ),
        Dataset(
            "employment",
            "就业",
            "RSJ",
            (Column("started_on", "就业日期", DATE), Column("monthly_wage", "月工资", MONEY)),
            amount="monthly_wage",
            warning=WarningRule(WarningType.INCOME_RISE, Severity.MEDIUM, "town", 10, "income_rise"),
        ),
        Dataset(
            "death",
            "死亡医学证明",
            "WJJ",
            (Column("died_on", "死亡日期", DATE),),
            warning=WarningRule(WarningType.DEATH, Severity.HIGH, "town", 5),
        ),
        Dataset(
            "illness_relief",
            "疾病应急救助",
            "WJJ",
            (Column("paid_on", "救助日期", DATE), Column("amount", "金额", MONEY)),
            amount="amount",
            assistance="amount",
        ),
        Dataset(
            "medical_expense",
            "医疗费用",
            "YBJ",
            (
                Column("settled_on", "结算日期", DATE),
                Column("total_cost", "总费用", MONEY),
                Column("self_paid", "政策范围内个人自付", MONEY),
            ),
            amount="total_cost",
            warning=WarningRule(
                WarningType.MEDICAL_BURDEN, Severity.HIGH, "department", 10, "medical_burden"
            ),
        ),
        Dataset(
            "medical_assistance",
            "医疗救助",
            "YBJ",
            (
                Column("paid_on", "救助日期", DATE),
                Column("amount", "金额", MONEY),
                Column("ratio", "救助比例", PERCENT, False),
            ),
            amount="amount",
            assistance="amount",
            warning=WarningRule(
                WarningType.ASSISTANCE_BELOW_RATIO, Severity.LOW, "department", 10, "below_ratio"
            ),
        ),
        Dataset(
            "student_aid",
            "学生资助",
            "JYJ",
            (
                Column("paid_on", "发放日期", DATE),
                Column("level", "学段", ENUM, choices=LEVELS),
                Column("aid_type", "资助项目"),
                Column("amount", "金额", MONEY),
            ),
            amount="amount",
            assistance="amount",
        ),
        Dataset(
            "housing",
            "住房安全",
            "ZJJ",
            (
                Column("rated_on", "鉴定日期", DATE),
                Column("rating", "危险等级", ENUM, choices=RATINGS),
                Column("aid_amount", "救助金额", MONEY, False),
            ),
            amount="aid_amount",
            assistance="aid_amount",
            warning=WarningRule(
                WarningType.DANGEROUS_HOUSE, Severity.HIGH, "department", 20, "dangerous_house"
            ),
        ),
        Dataset(
            "disaster",
            "受灾救助",
            "YJJ",
            (
                Column("occurred_on", "受灾日期", DATE),
                Column("loss_amount", "损失金额", MONEY),
                Column("aid_amount", "救助金额", MONEY, False),
            ),
            amount="loss_amount",
            assistance="aid_amount",
            warning=WarningRule(WarningType.DISASTER, Severity.HIGH, "town", 5),
        ),
        Dataset(
            "disability",
            "持证残疾人",
            "CL",
            (
                Column("certified_on", "发证日期", DATE),
                Column("kind", "残疾类别", ENUM, choices=KINDS),
                Column("grade", "等级", ENUM, choices=GRADES),
            ),
            warning=WarningRule(
                WarningType.SEVERE_DISABILITY, Severity.MEDIUM, "town", 10, "severe_disability"
            ),
        ),
        Dataset(
            "legal_aid",
            "法律援助",
            "SFJ",
            (Column("aided_on", "援助日期", DATE), Column("matter", "事项")),
        ),
        Dataset(
            "imprisonment",
            "服刑人员",
            "SFJ",
            (Column("from_date", "入监日期", DATE), Column("until_date", "刑满日期", DATE, False)),
            warning=WarningRule(WarningType.IMPRISONMENT, Severity.HIGH, "town", 10),
        ),
        Dataset(
            "hardship_worker",
            "困难职工",
            "ZGH",
            (
                Column("aided_on", "帮扶日期", DATE),
                Column("aid_type", "帮扶项目"),
                Column("amount", "金额", MONEY),
            ),
            amount="amount",
            assistance="amount",
        ),
        # The results of the half-yearly central check (集中核对) from the city's 核对平台, delivered by the
        # civil-affairs bureau: one row per member checked. The check date is optional (the platform's
        # files often carry none); a row without one is dated the last day of its period.
        Dataset(
            "economic_check",
            "集中核对结果",
            "MZJ",
            (
                Column("checked_on", "核对日期", DATE, False),
                Column("annual_income", "核对年收入", MONEY),
                Column("financial_assets", "金融资产", MONEY),
                Column("vehicles", "车辆数", INT),
                Column("vehicle_value", "车辆价值", MONEY),
                Column("dwellings", "房产数", INT),
                Column("business", "工商登记", ENUM, choices=YES_NO),
            ),
            amount="annual_income",
            warning=WarningRule(
                WarningType.CHECK_DISCREPANCY, Severity.HIGH, "town", 10, "check_discrepancy"
            ),
        ),
    )
}


def datasets_of_department(code: str) -> list[Dataset]:
    return [d for d in DATASETS.values() if d.department == code]
