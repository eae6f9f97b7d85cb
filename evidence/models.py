"""A document of a household, optionally of one of its cases and one of its members (DESIGN §3.11)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from simple_history.models import HistoricalRecords

from applications.glossary import MATERIAL_LABELS, MATERIALS
from applications.models import Application
from daye_relief.jobs import JobStatus
from households.models import Household, Member
from monitoring.models import Visit

from .codes import DocumentKind


def evidence_storage() -> Storage:
    """The evidence files' own storage (settings.STORAGES["evidence"]): never under a public URL."""
    return storages["evidence"]


def _stored_name(document: Document, _name: str) -> str:
    # The stored name tells nothing of the family: the household's id and a random name, by content type.
    return f"households/{document.household_id}/{uuid.uuid4().hex}{document.suffix}"


def _thumbnail_name(document: Document, _name: str) -> str:
    return f"households/{document.household_id}/thumbs/{uuid.uuid4().hex}.jpg"


class Document(models.Model):
    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.PROTECT, related_name="documents"
    )
    application = models.ForeignKey(
        Application,
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    member = models.ForeignKey(
        Member, verbose_name="涉及成员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A visit's photos (visit_photo), taken with the phone's camera on the visit form.
    visit = models.ForeignKey(
        Visit,
        verbose_name="巡访记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField("材料类别", max_length=32, choices=DocumentKind.choices)
    # The checklist item it answers (codes.KIND_MATERIAL; blank: none).
    material = models.CharField("对应清单项", max_length=32, choices=MATERIALS, blank=True)
    file = models.FileField("文件", storage=evidence_storage, upload_to=_stored_name, max_length=200)
    # A small JPEG for the lists (an image scaled down, a PDF's first page); blank when none could be drawn.
    thumbnail = models.FileField(
        "缩略图", storage=evidence_storage, upload_to=_thumbnail_name, max_length=200, blank=True
    )
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=64)
    suffix = models.CharField("扩展名", max_length=8)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField("说明", max_length=300, blank=True)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    location = models.CharField("拍摄位置", max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.CharField("撤回理由", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "材料"
        verbose_name_plural = "材料"
        ordering = ["uploaded_at", "pk"]
        indexes = [
            models.Index(fields=["household", "uploaded_at"]),
            models.Index(fields=["application"]),
            models.Index(fields=["visit"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def material_label(self) -> str:
        return MATERIAL_LABELS.get(self.material, "")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


ArchiveStatus = JobStatus


def _archive_name(job: ArchiveJob, _name: str) -> str:
    return f"archives/{job.application_id}/{uuid.uuid4().hex}.pdf"


class ArchiveJob(models.Model):
    """The archive PDF of a filed case, built in the background for the one who asked (with their masking
    of ID numbers): its progress in parts, then the file, in the evidence storage."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        Application, verbose_name="案件", on_delete=models.CASCADE, related_name="archive_jobs"
    )
    full_ids = models.BooleanField("显示完整身份证号", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=ArchiveStatus.choices, default=ArchiveStatus.QUEUED
    )
    total = models.PositiveIntegerField("总份数", default=0)
    done = models.PositiveIntegerField("已完成份数", default=0)
    file = models.FileField(
        "文件", storage=evidence_storage, upload_to=_archive_name, max_length=200, blank=True
    )
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "电子档案生成任务"
        verbose_name_plural = "电子档案生成任务"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ArchiveStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
