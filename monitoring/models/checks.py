"""Checks (DESIGN §3.6 Checks): the annual plan, its tasks, and the half-yearly central check runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from households.models import Household

from ..glossary import (
    CheckKind,
    CheckPlanMode,
    CheckResult,
    CheckStatus,
)


class CheckPlan(models.Model):
    """The annual city check (年度核查) as the civil-affairs reviewer planned it: all enrolled households,
    or a reproducible random share per town (the seed and each town's percentage are kept)."""

    year = models.PositiveSmallIntegerField("核查年度")
    mode = models.CharField("抽取方式", max_length=8, choices=CheckPlanMode.choices)
    seed = models.CharField("随机种子", max_length=64, blank=True)
    # town org unit code → percentage (a string "10" or "12.5"), for the sample mode.
    shares = models.JSONField("各镇抽取比例(%)", default=dict, blank=True)
    as_of = models.DateField("在册日期")
    due_on = models.DateField("完成期限")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制定人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度核查计划"
        verbose_name_plural = "年度核查计划"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}年度核查 #{self.pk}"


class CheckTask(models.Model):
    """One household to check, for its town: from an annual plan or opened ad hoc by the town."""

    kind = models.CharField("核查类型", max_length=8, choices=CheckKind.choices)
    plan = models.ForeignKey(
        CheckPlan,
        verbose_name="核查计划",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="check_tasks"
    )
    town = models.ForeignKey(OrgUnit, verbose_name="镇", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField("下达日期")
    due_on = models.DateField("完成期限")
    reason = models.TextField("核查事由", blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="下达人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=8, choices=CheckStatus.choices, default=CheckStatus.OPEN)
    result = models.CharField("核查结果", max_length=16, choices=CheckResult.choices, blank=True)
    note = models.TextField("核查情况", blank=True)
    recorded_on = models.DateField("核查日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The adjustment case a result `adjust` or `cancel` opened (DESIGN §3.7).
    adjustment = models.ForeignKey(
        "applications.Application",
        verbose_name="动态调整案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "核查任务"
        verbose_name_plural = "核查任务"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "household"],
                condition=Q(plan__isnull=False),
                name="one_check_task_per_plan_household",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(kind="ad_hoc", status="open"),
                name="one_open_ad_hoc_check_per_household",
            ),
        ]
        indexes = [models.Index(fields=["town", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household_id}"


class CentralCheckRun(models.Model):
    """One half-yearly central check (集中核对), keyed by its period ("YYYY-01" / "YYYY-07"): the export of
    the members enrolled on its reference day as the run made it, and what the run raised. `finished_at`
    marks a run that went through; a second run of a finished period does nothing."""

    period = models.CharField("核对期", max_length=7, unique=True)
    on = models.DateField("在册日期")
    members = models.PositiveIntegerField("成员人数", default=0)
    student_aid_missing = models.PositiveIntegerField("学生资助未落实预警", default=0)
    xlsx = models.FileField("名单(XLSX)", upload_to="monitoring/central_check/", blank=True)
    csv = models.FileField("名单(CSV)", upload_to="monitoring/central_check/", blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "半年集中核对"
        verbose_name_plural = "半年集中核对"
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"集中核对 {self.period}"
