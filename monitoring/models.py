"""Shared data (imports and their rows), warnings, department tokens, sync sources and delivery summaries
(DESIGN §3.6). The unique constraints here are what make imports and warnings idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from households.models import Household, Member

from .datasets import DATASETS
from .glossary import (
    VISIT_ITEMS,
    Assurance,
    CheckKind,
    CheckPlanMode,
    CheckResult,
    CheckStatus,
    ImportChannel,
    ImportStatus,
    RiskBasis,
    RiskDecisionKind,
    RiskReviewStatus,
    Severity,
    VisitMethod,
    WarningAction,
    WarningStatus,
    WarningType,
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


class Warning(models.Model):
    """A risk found in shared data, with an owner, a due date and a status (DESIGN §3.6)."""

    type = models.CharField("预警类型", max_length=32, choices=WarningType.choices)
    severity = models.CharField("等级", max_length=8, choices=Severity.choices)
    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="warnings"
    )
    member = models.ForeignKey(
        Member, verbose_name="成员", null=True, blank=True, on_delete=models.CASCADE, related_name="warnings"
    )
    source_row = models.ForeignKey(
        SharedRow, verbose_name="触发数据", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    # The half-yearly check that raised it ("YYYY-01" or "YYYY-07"); blank for the shared-data rules.
    period = models.CharField("核对期", max_length=7, blank=True, default="", db_default="")
    # A `visit_concern` warning names the visit that raised it: one warning per visit.
    visit = models.ForeignKey(
        "Visit",
        verbose_name="巡访记录",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="warnings",
    )
    assignee = models.ForeignKey(OrgUnit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField("预警日期")
    due_on = models.DateField("办理期限")
    due_provisional = models.BooleanField("期限为暂定", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    action = models.CharField("处理方式", max_length=16, choices=WarningAction.choices, blank=True)
    feedback = models.TextField("反馈", blank=True)
    escalated_on = models.DateField("报送市直局日期", null=True, blank=True)
    # The bureaus whose desk an overdue warning reaches (DESIGN §3.6): 民政局 and/or 农业农村局.
    to_civil_affairs = models.BooleanField("报送市民政局", default=False)
    to_agriculture = models.BooleanField("报送市农业农村局", default=False)
    detail = models.CharField("匹配内容", max_length=300, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    # The adjustment case the town opened on it (feedback `reinvestigation`, DESIGN §3.6 and §3.7).
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
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "type", "source_row"],
                condition=~Q(type="medical_burden"),
                name="unique_warning_per_row",
            ),
            models.UniqueConstraint(
                fields=["household", "type", "year"],
                condition=Q(type="medical_burden"),
                name="unique_medical_burden_per_year",
            ),
            models.UniqueConstraint(
                fields=["member", "type", "period"],
                condition=Q(type="student_aid_missing"),
                name="unique_student_aid_missing_per_period",
            ),
            models.UniqueConstraint(
                fields=["visit"], condition=Q(visit__isnull=False), name="unique_warning_per_visit"
            ),
        ]
        indexes = [models.Index(fields=["assignee", "status"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.household_id}"


class WarningEvent(models.Model):
    """One step on a warning: who, when, from which status to which, and what they wrote."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    from_status = models.CharField("原状态", max_length=16, choices=WarningStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=WarningStatus.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


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


# Visits (巡访, DESIGN §3.6) ------------------------------------------------------------------------


class Visit(models.Model):
    """A follow-up visit to a household: when, how, by whom, and the six items each secure or not."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField("巡访日期")
    method = models.CharField("巡访方式", max_length=16, choices=VisitMethod.choices)
    visitors = models.CharField("巡访人员", max_length=200)
    food = models.CharField("吃不愁", max_length=16, choices=Assurance.choices)
    food_note = models.CharField("吃不愁说明", max_length=300, blank=True)
    clothing = models.CharField("穿不愁", max_length=16, choices=Assurance.choices)
    clothing_note = models.CharField("穿不愁说明", max_length=300, blank=True)
    education = models.CharField("义务教育保障", max_length=16, choices=Assurance.choices)
    education_note = models.CharField("义务教育保障说明", max_length=300, blank=True)
    medical = models.CharField("基本医疗保障", max_length=16, choices=Assurance.choices)
    medical_note = models.CharField("基本医疗保障说明", max_length=300, blank=True)
    housing = models.CharField("住房安全保障", max_length=16, choices=Assurance.choices)
    housing_note = models.CharField("住房安全保障说明", max_length=300, blank=True)
    water = models.CharField("饮水安全", max_length=16, choices=Assurance.choices)
    water_note = models.CharField("饮水安全说明", max_length=300, blank=True)
    note = models.CharField("其他情况", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡访记录"
        verbose_name_plural = "巡访记录"
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"

    def items(self) -> list[dict[str, str]]:
        """The six items in form order: label, status code, status label, note."""
        return [
            {
                "key": key,
                "label": label,
                "status": getattr(self, key),
                "status_label": Assurance(getattr(self, key)).label,
                "note": getattr(self, f"{key}_note"),
            }
            for key, label in VISIT_ITEMS
        ]

    @property
    def concerns(self) -> list[str]:
        """The labels of the items found not secure."""
        return [label for key, label in VISIT_ITEMS if getattr(self, key) == Assurance.NOT_SECURE]

    @property
    def all_secure(self) -> bool:
        return not self.concerns


ALL_SECURE = Q(**{key: Assurance.SECURE for key, _ in VISIT_ITEMS})


class OverdueVisitSummary(models.Model):
    """The weekly job's list of overdue visits for one village (Monday's date keys the week)."""

    week_of = models.DateField("周（星期一）")
    village = models.ForeignKey(OrgUnit, verbose_name="村(居)", on_delete=models.CASCADE, related_name="+")
    overdue = models.PositiveIntegerField("逾期未巡访户数", default=0)
    households = models.JSONField("逾期家庭", default=list)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "逾期巡访周报"
        verbose_name_plural = "逾期巡访周报"
        ordering = ["-week_of", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["week_of", "village"], name="unique_overdue_visit_summary")
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.week_of}"


# Risk elimination (风险消除, DESIGN §3.7) -----------------------------------------------------------


class RiskReview(models.Model):
    """A town's collective review of risk-elimination candidates: who took part, when, the decision per
    household; filed with the 农业农村局, whose acknowledgement ends the monitoring enrollments."""

    town = models.ForeignKey(OrgUnit, verbose_name="镇", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("研判日期")
    participants = models.TextField("参加人员", max_length=1000)
    note = models.TextField("研判意见", blank=True, max_length=1000)
    status = models.CharField(
        "状态", max_length=16, choices=RiskReviewStatus.choices, default=RiskReviewStatus.DECIDED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    filed_on = models.DateField("报备日期", null=True, blank=True)
    acknowledged_on = models.DateField("确认日期", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_note = models.TextField("退回意见", blank=True, max_length=1000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "风险消除研判"
        verbose_name_plural = "风险消除研判"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.town} {self.held_on}"


class RiskDecision(models.Model):
    """The review's decision on one candidate household."""

    review = models.ForeignKey(
        RiskReview, verbose_name="研判", on_delete=models.CASCADE, related_name="decisions"
    )
    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.PROTECT, related_name="risk_decisions"
    )
    basis = models.CharField("依据", max_length=16, choices=RiskBasis.choices)
    decision = models.CharField("研判结论", max_length=16, choices=RiskDecisionKind.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    ended_on = models.DateField("监测结束日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "风险消除研判结论"
        verbose_name_plural = "风险消除研判结论"
        ordering = ["review_id", "household__household_number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "household"], name="unique_risk_decision_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_decision_display()}"
