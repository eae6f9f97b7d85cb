"""Shared data (DESIGN §3.6): imports and their rows, department tokens, sync sources and delivery
summaries. The unique constraints here are what make imports idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from households.models import Household, Member

from ..datasets import DATASETS
from ..glossary import (
    ImportChannel,
    ImportStatus,
)

DATASET_CHOICES = [(d.key, d.label) for d in DATASETS.values()]


class DatasetImport(models.Model):
    """One delivered file of one dataset for one period, identified by (dataset, period, SHA-256)."""

    dataset = models.CharField("数据集", max_length=32, choices=DATASET_CHOICES)
    period = models.CharField("数据期", max_length=7, help_text="YYYY-MM")
    sha256 = models.CharField("文件摘要", max_length=64)
    department = models.ForeignKey(
        OrgUnit, verbose_name="报送部门", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField("报送方式", max_length=16, choices=ImportChannel.choices)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    file = models.FileField("文件", upload_to="monitoring/imports/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    error = models.TextField("无法导入的原因", blank=True)
    rows = models.PositiveIntegerField("数据行", default=0)
    valid = models.PositiveIntegerField("有效行", default=0)
    duplicates = models.PositiveIntegerField("重复行", default=0)
    matched = models.PositiveIntegerField("匹配行", default=0)
    unmatched = models.PositiveIntegerField("未匹配行", default=0)
    warnings_created = models.PositiveIntegerField("新增预警", default=0)
    rejected = models.JSONField("退回行", default=list, blank=True)
    name_mismatches = models.JSONField("姓名不一致行", default=list, blank=True)
    # The cells of each rejected row as read (key → text), so the department can download, correct and
    # upload them again; not part of the §5 answer.
    rejected_values = models.JSONField("退回行内容", default=list, blank=True)
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "共享数据导入"
        verbose_name_plural = "共享数据导入"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "period", "sha256"],
                condition=~Q(status="failed"),
                name="unique_dataset_file_per_period",
            )
        ]
        indexes = [models.Index(fields=["department", "period"])]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} {self.period} #{self.pk}"

    def report(self) -> dict[str, object]:
        """The JSON of DESIGN §5."""
        return {
            "import_id": self.pk,
            "dataset": self.dataset,
            "period": self.period,
            "duplicate_of": None,
            "rows": self.rows,
            "valid": self.valid,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "warnings_created": self.warnings_created,
            "name_mismatches": self.name_mismatches,
        }


class SharedRow(models.Model):
    """A matched row about a member of a pool household. Rows about anyone else are never stored."""

    # No database-level foreign keys on the three references (db_constraint=False): an import inserts up
    # to a million rows in one transaction, and PostgreSQL checks a deferred foreign key with one trigger
    # query per row and reference at commit (15 s of a 1,000,000-row import). The import checks and locks
    # the referenced households and members set-wise instead (fastpath.references_lock), and holds its own
    # DatasetImport row FOR UPDATE; deletes still cascade through the ORM (on_delete=CASCADE).
    dataset_import = models.ForeignKey(
        DatasetImport, on_delete=models.CASCADE, related_name="stored_rows", db_constraint=False
    )
    dataset = models.CharField("数据集", max_length=32, choices=DATASET_CHOICES)
    period = models.CharField("数据期", max_length=7)
    row_number = models.PositiveIntegerField("文件行号")
    id_number = models.CharField("身份证号", max_length=18)
    name = models.CharField("姓名", max_length=50)
    row_date = models.DateField("日期")
    amount_key = models.CharField("金额(标识)", max_length=20, blank=True)
    data = models.JSONField("内容", default=dict)
    # db_index=False: the (household, dataset, row_date) index below serves every lookup by household.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="shared_rows", db_index=False, db_constraint=False
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="shared_rows", db_constraint=False
    )
    name_mismatch = models.BooleanField("姓名不一致", default=False)
    assistance_amount = models.DecimalField(
        "救助金额", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "共享数据行"
        verbose_name_plural = "共享数据行"
        ordering = ["dataset_import_id", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "id_number", "row_date", "amount_key"], name="unique_shared_row"
            )
        ]
        indexes = [models.Index(fields=["household", "dataset", "row_date"])]

    def __str__(self) -> str:
        return f"{self.dataset} {self.row_date} {self.name}"


class ApiToken(models.Model):
    """A department's key for the import API. Only its SHA-256 is kept; the key is shown once."""

    department = models.ForeignKey(
        OrgUnit,
        verbose_name="部门",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "department"},
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=8)
    digest = models.CharField("摘要(SHA-256)", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    # Set at issue (default a year on); a token past it answers 401 like a revoked one (DESIGN §3.13).
    expires_on = models.DateField("有效期至", null=True, blank=True)
    revoked = models.BooleanField("已停用", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "部门接口令牌"
        verbose_name_plural = "部门接口令牌"

    def __str__(self) -> str:
        return f"{self.department} {self.name} ({self.prefix}…)"


class SyncSource(models.Model):
    """Where the monthly sync pulls a dataset from: a folder path or an HTTPS URL with {period} in it."""

    dataset = models.CharField("数据集", max_length=32, choices=DATASET_CHOICES, unique=True)
    location = models.CharField(
        "地址",
        max_length=500,
        help_text="文件夹路径或加密网址；数据期（年-月）所在处按系统约定的占位符填写（见使用说明）",
    )
    enabled = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "同步来源"
        verbose_name_plural = "同步来源"

    def __str__(self) -> str:
        return f"{self.get_dataset_display()}：{self.location}"


class DeliverySummary(models.Model):
    """What one department delivered for one period (the bureaus' desk)."""

    period = models.CharField("数据期", max_length=7)
    department = models.ForeignKey(OrgUnit, verbose_name="部门", on_delete=models.CASCADE, related_name="+")
    delivered = models.BooleanField("已报送", default=False)
    imports = models.PositiveIntegerField("文件数", default=0)
    rows = models.PositiveIntegerField("数据行", default=0)
    rejected = models.PositiveIntegerField("退回行", default=0)
    warnings = models.PositiveIntegerField("预警", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "部门报送情况"
        verbose_name_plural = "部门报送情况"
        ordering = ["-period", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "department"], name="unique_delivery_summary")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.period}"
