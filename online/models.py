"""Online applications (DESIGN §3.12): what a family typed on /public/apply/ or an external channel pushed,
kept apart from the stored households until a clerk accepts it; its documents; the channels' tokens; the
short messages sent to the family."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from applications.models import Application
from evidence.codes import DocumentKind
from evidence.models import evidence_storage

from .codes import Status


class ExternalChannel(models.Model):
    """An app that pushes applications in (e.g. 湖北省救助通): its key is shown once; its SHA-256 is kept."""

    name = models.CharField("渠道名称", max_length=100, unique=True)
    prefix = models.CharField("前缀", max_length=8, editable=False)
    digest = models.CharField("摘要(SHA-256)", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    revoked = models.BooleanField("已停用", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "外部申请渠道"
        verbose_name_plural = "外部申请渠道"

    def __str__(self) -> str:
        return self.name


class OnlineApplication(models.Model):
    number = models.CharField("申请编号", max_length=20, unique=True)
    # The query code is never stored: it is derived from the secret key, the number and this nonce, so that
    # neither the database alone nor the number alone gives it (online.services.query_code).
    code_nonce = models.CharField(max_length=32, editable=False)
    channel = models.ForeignKey(
        ExternalChannel,
        verbose_name="外部渠道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    idempotency_key = models.CharField(max_length=200, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)
    village = models.ForeignKey(
        OrgUnit, verbose_name="所在村(居)", on_delete=models.PROTECT, related_name="+"
    )
    town = models.ForeignKey(OrgUnit, verbose_name="所在镇", on_delete=models.PROTECT, related_name="+")
    applicant_name = models.CharField("申请人", max_length=50)
    id_number = models.CharField("申请人身份证号码", max_length=18, db_index=True)
    phone = models.CharField("联系电话", max_length=20)
    # As typed: [{name, id_number, relation, birth_date, labor_capacity, annual_income, ...}], the
    # applicant first; and the self-check's household fields (hukou type, assets, rigid expenses).
    members = models.JSONField("家庭成员（申请人填写）", default=list)
    household_facts = models.JSONField("财产与支出（申请人填写）", default=dict)
    situation = models.TextField("家庭困难情况")
    asked = models.JSONField("申请的类别", default=list)
    commitment_name = models.CharField("承诺人签名", max_length=50)
    # The self-check's result on what was typed: a hint for the clerk, never a decision.
    hint = models.JSONField("自助测算结果", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    application = models.ForeignKey(
        Application,
        verbose_name="办理案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_origins",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["code_nonce"])

    class Meta:
        verbose_name = "线上申请"
        verbose_name_plural = "线上申请"
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["town", "status", "-submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="online_idempotency_key_once",
            )
        ]

    def __str__(self) -> str:
        return self.number


def _stored_name(document: OnlineDocument, _name: str) -> str:
    return f"online/{uuid.uuid4().hex}{document.suffix}"


def _thumbnail_name(document: OnlineDocument, _name: str) -> str:
    return f"online/thumbs/{uuid.uuid4().hex}.jpg"


class OnlineDocument(models.Model):
    """A file sent with an online application, checked like every document (evidence.files); it becomes a
    document of the case when the clerk accepts the application, and its file is then removed."""

    online_application = models.ForeignKey(
        OnlineApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("材料类别", max_length=32, choices=DocumentKind.choices)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    suffix = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=evidence_storage, upload_to=_stored_name, max_length=200)
    thumbnail = models.FileField(
        storage=evidence_storage, upload_to=_thumbnail_name, max_length=200, blank=True
    )

    class Meta:
        verbose_name = "线上申请材料"
        verbose_name_plural = "线上申请材料"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class TextMessage(models.Model):
    """A short message to the applicant's phone (DESIGN §3.12), written with the step it tells of and sent
    by a task once that step is committed."""

    online_application = models.ForeignKey(
        OnlineApplication, on_delete=models.CASCADE, related_name="messages"
    )
    phone = models.CharField(max_length=20)
    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "短信通知"
        verbose_name_plural = "短信通知"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.phone} {self.text[:20]}"
