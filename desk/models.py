from __future__ import annotations

from django.conf import settings
from django.db import models

from daye_relief.jobs import JobStatus

ExportStatus = JobStatus


class ExportJob(models.Model):
    """A large list export built in the background (DESIGN §3.10): the list, the filters as the page had
    them, progress, and the file; only its owner may download it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE, related_name="+"
    )
    list_key = models.CharField("清单", max_length=32)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已生成行数", default=0)
    file = models.FileField("文件", upload_to="desk/exports/", blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.list_key} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
