from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from applications.models import Application

from .glossary import NOTICE_KIND, TEXT_MAX, ItemOutcome, NoticeStatus, ObjectionChannel


class Notice(models.Model):
    """One posting at a village's fixed board (and online): one or more cases, for the window the
    parameters set (同期公示)."""

    village = models.ForeignKey(
        OrgUnit, verbose_name="村(居)", on_delete=models.PROTECT, related_name="notices"
    )
    status = models.CharField("状态", max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    posted_on = models.DateField("张贴日期", null=True, blank=True)
    closes_on = models.DateField("公示期满日期", null=True, blank=True)
    closes_on_provisional = models.BooleanField(default=False)
    window_days = models.PositiveSmallIntegerField("公示天数", null=True, blank=True)
    window_working_days = models.BooleanField("按工作日计算", default=False)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    contact = models.CharField("异议受理电话", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-posted_on", "-pk"]
        indexes = [models.Index(fields=["status", "village"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Composed from the village, the kind of notice and the posting day: never free text, so that
        nothing typed reaches the public pages (issue 8, point 11)."""
        day = (
            f"{self.posted_on:%Y}年{self.posted_on.month}月{self.posted_on.day}日"
            if self.posted_on
            else "待张贴"
        )
        return f"{self.village.name}{NOTICE_KIND}（{day}）"


class NoticeItem(models.Model):
    """A case in a notice. What the public reads is generated from structured data (never free text), so
    that no health detail, ID or address can reach the board."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notice_items")
    outcome = models.CharField(
        "公示结果", max_length=16, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    # When the case joined the notice: a case returned to investigation after this (from its own page)
    # has left the notice, even before the notice knows it (selectors.live_items).
    added_at = models.DateTimeField("纳入时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "公示对象"
        verbose_name_plural = "公示对象"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["notice", "application"], name="case_once_per_notice")]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.application_id}"


class Objection(models.Model):
    """An objection raised during the window; it sends the case back to investigation and gets an answer."""

    item = models.ForeignKey(NoticeItem, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField("受理日期")
    objector = models.CharField("反映人", max_length=50, blank=True, help_text="可匿名，留空即为匿名")
    channel = models.CharField("反映方式", max_length=16, choices=ObjectionChannel.choices)
    content = models.TextField("反映内容", max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField("答复", max_length=TEXT_MAX, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.received_on}"
