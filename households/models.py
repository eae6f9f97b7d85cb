from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit

from .codes import CASH_CATEGORIES
from .glossary import (
    AssetKind,
    AssistanceKind,
    AssistanceSource,
    Category,
    DisabilityGrade,
    DisabilityType,
    EducationLevel,
    EndReason,
    ExpenseKind,
    HukouType,
    IncomeKind,
    LaborCapacity,
    MaritalStatus,
    ParentsEvidence,
    ParentsStatus,
    Relation,
    Sex,
    SupporterRelation,
)
from .idnumbers import mask

# Every free-text field has a maximum length (forms, API and model checks all enforce it).
NOTE_LENGTH = 500
NON_NEGATIVE = [MinValueValidator(Decimal("0.00"), message="金额不能为负数。")]


def money_field(verbose_name: str, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=NON_NEGATIVE, **kwargs
    )


# "3组", "十二组", "3村民小组" in an address: the village group (村民小组).
VILLAGE_GROUP = re.compile(r"([0-9一二三四五六七八九十]+)(?:村民小)?组")


class Household(models.Model):
    """A family registered in a village: the unit that applies, is investigated and is assisted."""

    household_number = models.CharField("户编号", max_length=32, unique=True)
    village = models.ForeignKey(
        OrgUnit,
        verbose_name="所在村(居)",
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind": "village"},
    )
    hukou_type = models.CharField(
        "户籍类型", max_length=8, choices=HukouType.choices, default=HukouType.RURAL
    )
    address = models.CharField("家庭住址", max_length=200)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("在册", default=True)
    note = models.TextField(
        "备注", blank=True, max_length=NOTE_LENGTH, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "家庭"
        verbose_name_plural = "家庭"
        ordering = ["household_number"]
        indexes = [
            # A village's households in list order, and a town's or a village's count read from the index
            # alone; the list of the whole city pages by the unique household number (issue 12).
            models.Index(
                fields=["village", "household_number"],
                condition=Q(is_active=True),
                name="household_village_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_number}"

    @property
    def village_group(self) -> str:
        """The village group (村民小组) the address names ("东湖村3组12号" → "3组"); "" if it names none."""
        found = VILLAGE_GROUP.search(self.address)
        return f"{found.group(1)}组" if found else ""

    @property
    def region_code(self) -> str:
        """The village's GB/T 2260 code: parameters may differ by region."""
        return self.village.code


class VillageCount(models.Model):
    """How many active households each village has, for the lists without a search: the city's count is
    the sum of ~300 rows, not a scan of 300,000 (issue 22). PostgreSQL keeps it, whoever writes households
    (the services, the admin, a COPY): statement triggers of households_household (migration 0008) add
    each statement's net change per village. SQLite (`make run`) has no triggers and counts the households."""

    village = models.OneToOneField(
        OrgUnit, verbose_name="村(居)", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    households = models.IntegerField("在册户数", default=0)

    class Meta:
        verbose_name = "村(居)户数"
        verbose_name_plural = "村(居)户数"

    def __str__(self) -> str:
        return f"{self.village_id}: {self.households}"


class Member(models.Model):
    """A person in a household, with every field the eligibility snapshot needs (schema v1)."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18)
    birth_date = models.DateField("出生日期", help_text="由身份证号码读出")
    sex = models.CharField("性别", max_length=8, choices=Sex.choices, help_text="由身份证号码读出")
    relation = models.CharField("与申请人关系", max_length=16, choices=Relation.choices)
    lives_together = models.BooleanField("长期共同居住", default=True)
    shares_finances = models.BooleanField("收支共享", default=True)
    marital_status = models.CharField("婚姻状况", max_length=16, choices=MaritalStatus.choices, blank=True)
    full_time_student = models.BooleanField("全日制在校学生", default=False)
    education_level = models.CharField("在读学历", max_length=24, choices=EducationLevel.choices, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        "残疾等级", choices=DisabilityGrade.choices, null=True, blank=True
    )
    disability_type = models.CharField("残疾类别", max_length=16, choices=DisabilityType.choices, blank=True)
    serious_illness = models.BooleanField("患重病", default=False)
    labor_capacity = models.CharField(
        "劳动能力", max_length=8, choices=LaborCapacity.choices, default=LaborCapacity.FULL
    )
    imprisoned = models.BooleanField("服刑", default=False)
    full_civil_capacity = models.BooleanField("完全民事行为能力", default=True)
    # A minor whose parents are not in the household (a grandchild): their status and its evidence (特困).
    parents_status = models.CharField(
        "父母抚养能力",
        max_length=8,
        choices=ParentsStatus.choices,
        default=ParentsStatus.ABLE,
        db_default=ParentsStatus.ABLE,
        help_text="仅用于父母不在本户的未成年人（如孙子女）：父母均已死亡、失踪或无抚养能力时选第二项",
    )
    parents_evidence = models.CharField(
        "父母情况证明材料",
        max_length=24,
        choices=ParentsEvidence.choices,
        blank=True,
        default="",
        db_default="",
    )
    phone = models.CharField("手机号码", max_length=32, blank=True)
    is_active = models.BooleanField("在户", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "pk"]
        constraints = [
            # A person is in one active household at most. The service checks first and names where the
            # person already is; this index is the backstop against two clerks saving at once.
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(is_active=True), name="unique_active_member_id_number"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_active=True, relation="applicant"),
                name="one_active_applicant_per_household",
            ),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number)

    @property
    def choice_label(self) -> str:
        """How a member is offered in a list of the household's members: two members may share a name
        (李冬梅 the applicant and 李冬梅 her mother-in-law), so the relation and the masked ID tell them
        apart."""
        return f"{self.name}（{self.get_relation_display()}，{self.masked_id_number}）"


class Income(models.Model):
    """One source of a member's income over the last 12 months."""

    member = models.ForeignKey(
        Member, verbose_name="家庭成员", on_delete=models.CASCADE, related_name="incomes"
    )
    kind = models.CharField("收入类型", max_length=16, choices=IncomeKind.choices)
    annual_amount = money_field("近12个月金额(元)")
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "收入"
        verbose_name_plural = "收入"
        ordering = ["member_id", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.annual_amount}"


class Asset(models.Model):
    """One item of the household's property: a deposit, a vehicle, a dwelling, a business."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="assets"
    )
    kind = models.CharField("财产类型", max_length=16, choices=AssetKind.choices)
    value = money_field("价值(元)", default=Decimal("0.00"))
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "财产"
        verbose_name_plural = "财产"
        ordering = ["household_id", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class RigidExpense(models.Model):
    """A necessary yearly expense of the household: medical out-of-pocket, education, other."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="rigid_expenses"
    )
    kind = models.CharField("支出类型", max_length=16, choices=ExpenseKind.choices)
    annual_amount = money_field("年支出(元)")
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "刚性支出"
        verbose_name_plural = "刚性支出"
        ordering = ["household_id", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.annual_amount}"


class ExternalSupporter(models.Model):
    """Someone outside the household with a legal duty to support a member (e.g. a married son elsewhere)."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="external_supporters"
    )
    supports = models.ForeignKey(
        Member, verbose_name="被赡(扶、抚)养人", on_delete=models.CASCADE, related_name="external_supporters"
    )
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("与被赡养人关系", max_length=16, choices=SupporterRelation.choices)
    able_to_support = models.BooleanField("有履行义务能力", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "家庭外法定义务人"
        verbose_name_plural = "家庭外法定义务人"
        ordering = ["household_id", "pk"]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    """A household (or, for 特困 and 单人户低保, one member) enrolled in a category from a date."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="enrollments"
    )
    member = models.ForeignKey(
        Member,
        verbose_name="成员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    start_date = models.DateField("纳入日期")
    # The first day the household (member) is no longer enrolled; households.selectors.households.enrolled_on.
    end_date = models.DateField("退出日期", null=True, blank=True)
    end_reason = models.CharField(
        "退出原因", max_length=24, choices=EndReason.choices, blank=True, default="", db_default=""
    )
    gradual_exit_until = models.DateField("渐退期至", null=True, blank=True)
    # Only for the categories with cash (特困, 低保, 单人户低保); null for the others.
    monthly_amount = models.DecimalField(
        "每月救助金(元)", max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    amount_since = models.DateField("金额执行起始日", null=True, blank=True)
    # Written only by households/services/enrollments.py; the history names who changed what, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "纳入类别"
        verbose_name_plural = "纳入类别"
        ordering = ["household_id", "start_date"]
        indexes = [models.Index(fields=["category", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrollment_ends_after_start",
            ),
            # The service refuses a second active enrollment with a readable message; these indexes are
            # the backstop against two clerks (or a clerk and a job) saving at once.
            models.UniqueConstraint(
                fields=["household", "category"],
                condition=Q(end_date__isnull=True, member__isnull=True),
                name="one_open_household_enrollment_per_category",
            ),
            models.UniqueConstraint(
                fields=["member", "category"],
                condition=Q(end_date__isnull=True, member__isnull=False),
                name="one_open_member_enrollment_per_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}（{self.start_date}起）"

    @property
    def pays_cash(self) -> bool:
        """特困, 低保 and 单人户低保 carry a monthly amount (DESIGN §3.7); the others help in kind."""
        return self.category in CASH_CATEGORIES


class AssistanceRecord(models.Model):
    """Help a member received (DESIGN §3.8): entered by the town, made from a shared-data row
    (monitoring.services.assistance), or given by a charity project or volunteer. Temporary assistance
    (临时救助) is one of these with a reason and, later, an explanation (小金额先行救助，事后补充说明情况)."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="assistance_records"
    )
    member = models.ForeignKey(
        Member, verbose_name="成员", on_delete=models.CASCADE, related_name="assistance_records"
    )
    kind = models.CharField("救助类型", max_length=24, choices=AssistanceKind.choices)
    received_on = models.DateField("救助日期")
    # Absent for help in kind (legal aid, a volunteer's care).
    amount = models.DecimalField(
        "金额(元)", max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    source = models.CharField(
        "来源", max_length=16, choices=AssistanceSource.choices, default=AssistanceSource.MANUAL
    )
    # Where an import made the record: the dataset, the import and the stored row. Plain numbers, not
    # foreign keys: households sits below monitoring. The row's id is unique, so a re-run adds nothing.
    source_dataset = models.CharField("来源数据集", max_length=32, blank=True, default="", db_default="")
    source_import_id = models.PositiveBigIntegerField("来源导入批次", null=True, blank=True)
    source_row_id = models.PositiveBigIntegerField("来源数据行", null=True, blank=True, unique=True)
    note = models.CharField("说明", max_length=200, blank=True, default="", db_default="")
    # Temporary assistance only: why it was given at once, and the explanation added afterwards.
    reason = models.CharField("救助事由", max_length=NOTE_LENGTH, blank=True, default="", db_default="")
    explanation = models.TextField(
        "事后情况说明",
        blank=True,
        default="",
        db_default="",
        max_length=NOTE_LENGTH,
        validators=[MaxLengthValidator(NOTE_LENGTH)],
    )
    explained_on = models.DateField("说明日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "救助帮扶记录"
        verbose_name_plural = "救助帮扶记录"
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["household", "received_on"]),
            models.Index(fields=["kind", "received_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"

    @property
    def awaits_explanation(self) -> bool:
        return self.kind == AssistanceKind.TEMPORARY and self.explained_on is None
