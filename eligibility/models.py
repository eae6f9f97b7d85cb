from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from households.codes import BUREAUS, REGION_CODE
from households.models import Household

from .parameters import PARAMETER_DEFAULTS

PARAMETER_CHOICES = [(default.code, default.label) for default in PARAMETER_DEFAULTS]
UNIT_LABELS = {
    "yuan_per_month": "元/月",
    "yuan_per_year": "元/年",
    "multiplier": "倍",
    "months": "个月",
    "count": "个",
    "bool": "是(1)/否(0)",
    "percent": "%",
    "days": "天",
}


class PolicyParameter(models.Model):
    """One dated, region-scoped value of a policy threshold (DESIGN §3.3), with the document it comes from."""

    code = models.CharField("参数", max_length=64, choices=PARAMETER_CHOICES)
    region_code = models.CharField(
        "适用区域代码", max_length=12, default=REGION_CODE, help_text="6位市县、9位乡镇或12位村级行政区划代码"
    )
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="留空表示长期有效；当天仍有效")
    value = models.DecimalField("数值", max_digits=14, decimal_places=4)
    unit = models.CharField("单位", max_length=16)
    source = models.CharField("依据文件", max_length=300)
    placeholder = models.BooleanField("占位值", default=False, help_text="未找到正式文件，待按本地文件替换")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政策参数"
        verbose_name_plural = "政策参数"
        ordering = ["code", "region_code", "valid_from"]
        indexes = [models.Index(fields=["code", "region_code", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.value}（{self.region_code}，{self.valid_from}起）"

    @property
    def ref(self) -> str:
        """How an evaluation names this row: id, code, region and start date."""
        return f"{self.pk}:{self.code}@{self.region_code}/{self.valid_from.isoformat()}"

    @property
    def display_value(self) -> str:
        """The value without trailing zeros and never in exponent form: 600, 1.3, 0."""
        text = format(self.value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, self.unit)


class Assessment(models.Model):
    """One evaluation done for a household: the snapshot judged, the parameter rows used, the result."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="assessments", null=True
    )
    as_of = models.DateField("测算日期")
    snapshot = models.JSONField("家庭数据快照")
    parameters = models.JSONField("所用参数")
    result = models.JSONField("测算结果")
    primary_category = models.CharField("主要类别", max_length=16, blank=True)
    purpose = models.CharField("用途", max_length=32, default="case")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="测算人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("测算时间", auto_now_add=True)

    class Meta:
        verbose_name = "测算记录"
        verbose_name_plural = "测算记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.as_of}"


class ReevaluationRun(models.Model):
    """A bulk re-evaluation of every enrolled household with the parameters in force on a date.

    The run is planned into chunks (ReevaluationChunk, fixed ranges of household ids) that Celery
    workers re-evaluate in parallel; each chunk commits its proposals with the run's counters and
    `heartbeat_at`. A run whose workers died stays "running" with an old heartbeat, is shown as
    interrupted, and a restart queues again only the chunks not yet done.
    """

    # A running run whose worker has not committed a chunk for this long is taken as interrupted.
    STALE_AFTER = timedelta(minutes=10)

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "测算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    as_of = models.DateField("测算日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField("原因", max_length=200, blank=True)
    households_evaluated = models.PositiveIntegerField("已测算户数", default=0)
    proposals_count = models.PositiveIntegerField("类别变化户数", default=0)
    errors_count = models.PositiveIntegerField("无法测算户数", default=0)
    error = models.TextField("错误", blank=True)
    last_household_id = models.PositiveBigIntegerField("已完成至家庭", default=0)
    chunks_total = models.PositiveIntegerField("分段数", default=0)
    heartbeat_at = models.DateTimeField("最近进展时间", null=True, blank=True)
    restarts = models.PositiveIntegerField("重新启动次数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量重新测算"
        verbose_name_plural = "批量重新测算"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.as_of} {self.get_status_display()}"

    @property
    def is_stale(self) -> bool:
        """Running, but no chunk committed for STALE_AFTER: its worker is taken as dead."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.heartbeat_at or self.created_at
        return last is not None and timezone.now() - last > self.STALE_AFTER

    @property
    def can_restart(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale


class ReevaluationChunk(models.Model):
    """One slice of a run's households (a range of household ids fixed when the run is planned), which
    one Celery task re-evaluates: chunks of a run go to every worker at once. A chunk's proposals, its
    counters and `done` are committed together, once: a chunk delivered twice, or again after its
    worker died, adds nothing the second time."""

    run = models.ForeignKey(ReevaluationRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField("序号")
    first_household_id = models.PositiveBigIntegerField("起始家庭")
    last_household_id = models.PositiveBigIntegerField("截止家庭")
    households = models.PositiveIntegerField("户数")
    done = models.BooleanField("已完成", default=False)
    evaluated = models.PositiveIntegerField("已测算户数", default=0)
    changed = models.PositiveIntegerField("类别变化户数", default=0)
    failed = models.PositiveIntegerField("无法测算户数", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量重新测算分段"
        verbose_name_plural = "批量重新测算分段"
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="one_chunk_per_run_index")]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.index}"


class ReevaluationProposal(models.Model):
    """A household whose categories would change under the parameters in force: to review, never applied."""

    class Decision(models.TextChoices):
        OPEN = "open", "待审核"
        ACCEPTED = "accepted", "已采纳（转入调整程序）"
        DISMISSED = "dismissed", "不予调整"

    run = models.ForeignKey(ReevaluationRun, on_delete=models.CASCADE, related_name="proposals")
    household = models.ForeignKey(Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="+")
    bureau = models.CharField(
        "审核部门",
        max_length=16,
        choices=BUREAUS,
        default="civil_affairs",
        help_text="防止返贫监测的变化由市农业农村局审核，其他类别由市民政局审核",
    )
    current_categories = models.JSONField("现有类别")
    proposed_categories = models.JSONField("测算类别")
    per_capita_monthly_income = models.DecimalField("人均月收入", max_digits=14, decimal_places=2)
    error = models.TextField("无法测算的原因", blank=True)
    decision = models.CharField("处理", max_length=16, choices=Decision.choices, default=Decision.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "类别变化提示"
        verbose_name_plural = "类别变化提示"
        ordering = ["run", "household_id", "bureau"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "household", "bureau"], name="one_proposal_per_household_bureau_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.current_categories} → {self.proposed_categories}"
