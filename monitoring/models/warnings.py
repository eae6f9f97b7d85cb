"""Warnings and their events (DESIGN §3.6). The unique constraint is what makes warnings idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from households.models import Household, Member

from ..glossary import (
    Severity,
    WarningAction,
    WarningEventKind,
    WarningStatus,
    WarningType,
    warning_event_sentence,
)
from .imports import SharedRow


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
    # The household's town, kept by the writers (monitoring.services.warnings.town_of and the household's
    # move, households.events): a town's list reads its own warnings from the index below, without
    # joining and sorting the whole city's (issue 22).
    town = models.ForeignKey(OrgUnit, verbose_name="所属镇", on_delete=models.PROTECT, related_name="+")
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
        indexes = [
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["town", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.household_id}"


class WarningEvent(models.Model):
    """One step on a warning: who, when, from which status to which, and what they wrote."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=WarningEventKind.choices)
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
    # The event's facts (the action and feedback, the case opened…) as data, written by monitoring.events;
    # rows from before it have only their note.
    payload = models.JSONField("事项数据", default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

    @property
    def sentence(self) -> str:
        """What the warning's timeline says of it: from kind and payload, or the note of an older row."""
        return warning_event_sentence(self.kind, self.payload) if self.payload else self.note
