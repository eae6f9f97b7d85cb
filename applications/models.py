from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from eligibility.models import Assessment
from households.glossary import Category
from households.models import Household, Member

from .glossary import (
    COMMITMENT_MATERIAL,
    EVENT_LABELS,
    LONG_TEXT,
    MATERIAL_LABELS,
    MATERIALS,
    OPEN_STAGES,
    OPTIONAL_MATERIALS,
    SHORT_TEXT,
    Bureau,
    ChangeKind,
    Channel,
    DeadlineFlag,
    EventKind,
    FilingStatus,
    Kind,
    Method,
    Outcome,
    Procedure,
    Proxy,
    Stage,
    Trigger,
    event_sentence,
)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    received: bool
    required: bool


class Application(models.Model):
    """One application of a family: one investigation, one notice, one review, classified into every
    category it qualifies for (DESIGN §3.4)."""

    case_number = models.CharField("案件编号", max_length=32, unique=True)
    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(Member, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey(OrgUnit, verbose_name="受理镇", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.SUBMITTED)
    # An adjustment (动态调整) runs on the same stages, guards, deadlines, forms and filings as an
    # application; it is opened by the town on an enrolled household (DESIGN §3.7).
    kind = models.CharField("案件类型", max_length=16, choices=Kind.choices, default=Kind.APPLICATION)
    trigger = models.CharField("调整起因", max_length=16, choices=Trigger.choices, blank=True)
    source = models.CharField("来源", max_length=64, blank=True)
    # Recorded by an adjustment that may cancel 低保: the rise in income comes from work or a family
    # business (积极就业、发展产业), which allows a gradual exit (渐退期).
    income_from_work = models.BooleanField("收入增加源于就业或发展产业", default=False)
    gradual_exit_granted = models.BooleanField("给予渐退期", default=False)
    channel = models.CharField("申请渠道", max_length=16, choices=Channel.choices)
    procedure = models.CharField("办理程序", max_length=16, choices=Procedure.choices)
    proxy = models.CharField("申请方式", max_length=24, choices=Proxy.choices, default=Proxy.NONE)
    proxy_reason = models.CharField("代为申请原因", max_length=200, blank=True)
    situation = models.CharField("家庭困难情况（申请事由）", max_length=LONG_TEXT)
    materials = models.JSONField("一次性告知材料", default=list)
    materials_given_on = models.DateField("材料清单告知日期")
    commitment_signed_on = models.DateField("签署真实性承诺日期")
    # The checklist items that a document of the case (or of its household) now answers: kept by the
    # evidence app's one writer of documents, read by the workflow's preconditions (DESIGN §3.11).
    materials_received = models.JSONField("已收到的材料", default=list, blank=True)
    # A village-forwarded application waits in the town's inbox (submitted) until the clerk accepts it;
    # the deadlines count from acceptance.
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="转报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name="系统测算",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Deadlines, in working days (DESIGN §3.5); each with whether it rests on a provisional calendar.
    investigation_due = models.DateField("调查期限", null=True, blank=True)
    investigation_due_provisional = models.BooleanField(default=False)
    overall_due = models.DateField("办结期限", null=True, blank=True)
    overall_due_provisional = models.BooleanField(default=False)
    extended_due = models.DateField("延长后办结期限", null=True, blank=True)
    extended_due_provisional = models.BooleanField(default=False)
    extension_reason = models.CharField("延期原因", max_length=SHORT_TEXT, blank=True)
    notice_closed_on = models.DateField("公示结束日期", null=True, blank=True)
    review_due = models.DateField("研判期限", null=True, blank=True)
    review_due_provisional = models.BooleanField(default=False)
    deadline_flag = models.CharField(
        "期限提醒", max_length=16, choices=DeadlineFlag.choices, default=DeadlineFlag.NONE, blank=True
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    rejection_reason = models.CharField("不予批准理由", max_length=LONG_TEXT, blank=True)
    withdrawal_requested_on = models.DateField("申请人书面撤回申请日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤回原因", max_length=SHORT_TEXT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "救助帮扶申请"
        verbose_name_plural = "救助帮扶申请"
        ordering = ["-accepted_on", "-pk"]
        indexes = [
            models.Index(fields=["town", "stage"]),
            models.Index(fields=["stage", "deadline_flag"]),
            # The workbench's lists page in this order: an index scan stops after a page instead of
            # sorting every open case of the city (issue 12).
            models.Index(fields=["-accepted_on", "-id"], name="application_accepted_order"),
            # The workbench's recently closed cases: without it, the newest closed case is looked for by
            # reading every open case first (issue 12).
            models.Index(
                fields=["-updated_at"],
                condition=~models.Q(stage__in=sorted(OPEN_STAGES)),
                name="application_closed_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def is_adjustment(self) -> bool:
        return self.kind == Kind.ADJUSTMENT

    @property
    def checklist(self) -> list[ChecklistItem]:
        """The one-time list given at intake, each item received or missing, in the list's order; the
        signed commitment is on it whether or not it was listed (an adjustment has no list)."""
        codes = [code for code, _ in MATERIALS if code in self.materials]
        if not self.is_adjustment and COMMITMENT_MATERIAL not in codes:
            codes.append(COMMITMENT_MATERIAL)
        received = set(self.materials_received)
        return [
            ChecklistItem(
                code=code,
                label=MATERIAL_LABELS[code],
                received=code in received,
                required=code not in OPTIONAL_MATERIALS,
            )
            for code in codes
        ]

    @property
    def materials_missing(self) -> list[ChecklistItem]:
        """The required items of the checklist that no document answers yet."""
        return [item for item in self.checklist if item.required and not item.received]

    @property
    def final_due(self) -> date | None:
        return self.extended_due or self.overall_due

    def deadlines(self) -> dict[str, dict[str, Any] | None]:
        """The deadlines the API shows (DESIGN §5), as ISO dates each with its provisional flag; None before
        the case is accepted (they count from acceptance)."""

        def one(day: date | None, provisional: bool) -> dict[str, Any] | None:
            return None if day is None else {"date": day.isoformat(), "provisional": provisional}

        return {
            "investigation": one(self.investigation_due, self.investigation_due_provisional),
            "review": one(self.review_due, self.review_due_provisional),
            "overall": one(self.overall_due, self.overall_due_provisional),
            "extended": one(self.extended_due, self.extended_due_provisional),
        }


class ApplicationEvent(models.Model):
    """One step of the case: who, when, from which stage to which, and why. The timeline is drawn from it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    from_stage = models.CharField("原阶段", max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=16, choices=Stage.choices, blank=True)
    note = models.TextField("说明", blank=True)
    # The event's facts (team, days and reason, categories decided…) as data, written by applications.events;
    # rows from before it have only their note.
    payload = models.JSONField("事项数据", default=dict, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"

    @property
    def kind_label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)

    @property
    def sentence(self) -> str:
        """What the timeline says of it: written from kind and payload, or the note of an older row."""
        return event_sentence(self.kind, self.payload) if self.payload else self.note


class Investigation(models.Model):
    """The joint home investigation and the economic-status check (同步调查)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="investigation")
    started_on = models.DateField("开始日期")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="调查组成员", related_name="+")
    methods = models.JSONField("调查方式", default=list)
    video_reason = models.CharField("视频调查原因", max_length=SHORT_TEXT, blank=True)
    check_requested_on = models.DateField("核对申请日期", null=True, blank=True)
    check_reference = models.CharField("核对报告编号", max_length=64, blank=True)
    check_result = models.CharField("家庭经济状况核对结果", max_length=LONG_TEXT, blank=True)
    check_result_on = models.DateField("核对结果日期", null=True, blank=True)
    findings = models.CharField("调查结论", max_length=LONG_TEXT, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "入户调查"
        verbose_name_plural = "入户调查"

    def __str__(self) -> str:
        return f"{self.application_id}"

    def method_labels(self) -> list[str]:
        return [Method(code).label for code in self.methods if code in Method.values]


class Review(models.Model):
    """The town task force's collective review (同时研判) of one case."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("研判日期")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="参会人员", related_name="+")
    attendees_note = models.CharField("其他参会人员", max_length=SHORT_TEXT, blank=True)
    approved = models.BooleanField("批准")
    reason = models.CharField("研判意见", max_length=LONG_TEXT)
    # Why the decisions depart from the engine's result (a category approved that it did not find, or one
    # it found refused); required then (DESIGN §3.4).
    departure_reason = models.CharField("与系统测算不一致的理由", max_length=LONG_TEXT, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="镇审批人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "集体研判"
        verbose_name_plural = "集体研判"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.held_on}"


class CategoryDecision(models.Model):
    """The review's decision on one category, with its reason (分类审核)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    member = models.ForeignKey(Member, verbose_name="成员", null=True, blank=True, on_delete=models.PROTECT)
    approved = models.BooleanField("纳入")
    reason = models.CharField("理由", max_length=SHORT_TEXT)
    engine_found = models.BooleanField("系统测算认定", null=True, blank=True)

    class Meta:
        verbose_name = "分类决定"
        verbose_name_plural = "分类决定"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {'纳入' if self.approved else '不纳入'}"

    @property
    def departs(self) -> bool:
        """Approved though the engine did not find it, or refused though it did (一事一议 never departs)."""
        return self.engine_found is not None and self.approved != self.engine_found


class Filing(models.Model):
    """An approved case filed with a bureau (备案/标识); the bureau acknowledges it or returns it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="filings")
    bureau = models.CharField("备案部门", max_length=16, choices=Bureau.choices)
    categories = models.JSONField("备案类别")
    monitoring_overlap = models.BooleanField("防返贫监测重复标识", default=False)
    # The review's departures from the engine in this filing's categories, and their reason; blank: none.
    departure_note = models.CharField("与系统测算不一致", max_length=2 * LONG_TEXT, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=FilingStatus.choices, default=FilingStatus.PENDING
    )
    filed_on = models.DateField("报送日期")
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acted_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("意见", max_length=SHORT_TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "备案"
        verbose_name_plural = "备案"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "bureau"], name="one_filing_per_bureau")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_bureau_display()}"


class AdjustmentMemberChange(models.Model):
    """The member change that opened an adjustment: who, what, when, on what evidence. A removal takes
    the member out of the household when the adjustment is opened (the fact is proven by its evidence);
    the case decides what it means for the family's assistance."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="member_change")
    kind = models.CharField("变化类型", max_length=16, choices=ChangeKind.choices)
    member = models.ForeignKey(Member, verbose_name="成员", on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField("发生日期")
    evidence = models.CharField("证明材料", max_length=SHORT_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "家庭成员变化"
        verbose_name_plural = "家庭成员变化"

    def __str__(self) -> str:
        return f"{self.member_id} {self.get_kind_display()}"


class AdjustmentOutcome(models.Model):
    """The approved adjustment's effect on one category (and member): the amounts before and after."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes")
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    member = models.ForeignKey(Member, verbose_name="成员", null=True, blank=True, on_delete=models.PROTECT)
    outcome = models.CharField("调整结果", max_length=16, choices=Outcome.choices)
    amount_before = models.DecimalField("调整前月救助金", max_digits=10, decimal_places=2, null=True)
    amount_after = models.DecimalField("调整后月救助金", max_digits=10, decimal_places=2, null=True)

    class Meta:
        verbose_name = "调整结果"
        verbose_name_plural = "调整结果"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.category} {self.outcome}"

    @property
    def label(self) -> str:
        name = self.get_category_display()
        return f"{name}（{self.member.name}）" if self.member_id and self.member else name

    @property
    def outcome_label(self) -> str:
        return self.get_outcome_display()

    @property
    def before(self) -> Any:
        return self.amount_before

    @property
    def after(self) -> Any:
        return self.amount_after

    @property
    def enrolled_before(self) -> bool:
        return self.outcome not in (Outcome.ADD,) and not (
            self.outcome == Outcome.INCREASE and self.amount_before is None
        )
