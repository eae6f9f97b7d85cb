"""The access journal (访问留痕, DESIGN §3.13): one append-only table, each row hash-chained to the one
before it, so that an edited or deleted row breaks the chain (journal.chain verifies it daily)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages
from django.db import models

from .codes import Action, ObjectKind


class AppendOnly(Exception):
    """A journal row is never changed or deleted through the app."""


class Entry(models.Model):
    at = models.DateTimeField("时间", db_index=True)
    # Who: the user's id and name as they were (a renamed or removed account leaves its rows readable).
    user_id = models.IntegerField("用户编号", null=True, blank=True, db_index=True)
    username = models.CharField("用户", max_length=150)
    roles = models.CharField("当时的角色", max_length=200, blank=True)
    org_units = models.CharField("所在机构", max_length=200, blank=True)
    client = models.CharField("客户端地址", max_length=64, blank=True)
    action = models.CharField("操作", max_length=32, choices=Action.choices, db_index=True)
    object_kind = models.CharField("对象类型", max_length=16, choices=ObjectKind.choices, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    # The family the row concerns, and its town: "who looked at this family", and a town clerk's scope.
    household_id = models.IntegerField("家庭编号", null=True, blank=True)
    town_id = models.IntegerField("所在镇编号", null=True, blank=True)
    # A keyed hash of the ID number searched for or shown (journal.services.id_hash), never the ID itself.
    subject_hash = models.CharField("身份证号码摘要", max_length=64, blank=True, db_index=True)
    # Filters and row counts of searches and exports, the dataset of a token's use; never a name or an ID.
    detail = models.JSONField("详情", default=dict, blank=True)
    algorithm = models.CharField("摘要算法", max_length=8)
    prev_hash = models.CharField("上一条摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64)

    class Meta:
        verbose_name = "访问留痕"
        verbose_name_plural = "访问留痕"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["household_id", "-at"], name="journal_household_at"),
            models.Index(fields=["town_id", "-at"], name="journal_town_at"),
            models.Index(fields=["user_id", "-at"], name="journal_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("访问留痕只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("访问留痕不能删除。")


class Head(models.Model):
    """The chain's end: one row, locked by every writer, so that rows are chained in the order written."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = "留痕链尾"
        verbose_name_plural = "留痕链尾"

    def __str__(self) -> str:
        return f"#{self.last_id} {self.last_hash[:12]}"


class ChainBreak(models.Model):
    """A verification that found the chain broken: shown on the administrator's desk until looked into."""

    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    first_id = models.BigIntegerField("第一条有误的留痕")
    count = models.IntegerField("有误的条数")
    ids = models.JSONField("有误的留痕编号（前100条）", default=list)
    resolved = models.BooleanField("已处理", default=False)

    class Meta:
        verbose_name = "留痕链校验告警"
        verbose_name_plural = "留痕链校验告警"
        ordering = ["-found_at"]

    def __str__(self) -> str:
        return f"{self.found_at:%Y-%m-%d} 自第{self.first_id}条起{self.count}条有误"


def _archive_storage() -> Storage:
    """The evidence files' storage (settings.STORAGES["evidence"]): never under a public URL."""
    return storages["evidence"]


class Archive(models.Model):
    """Journal rows moved out of the table by the monthly job (journal.archive): a gzip file of JSON lines,
    its SHA-256, and the chain's hash at its last row, from which the verification goes on."""

    first_id = models.BigIntegerField("起始留痕编号")
    last_id = models.BigIntegerField("截止留痕编号")
    count = models.IntegerField("条数")
    until = models.DateTimeField("早于")
    last_hash = models.CharField("最后一条的摘要", max_length=64)
    sha256 = models.CharField("文件摘要(SHA-256)", max_length=64)
    file = models.FileField("文件", storage=_archive_storage, upload_to="journal/", max_length=200)
    created_at = models.DateTimeField("归档时间", auto_now_add=True)

    class Meta:
        verbose_name = "留痕归档"
        verbose_name_plural = "留痕归档"
        ordering = ["-last_id"]

    def __str__(self) -> str:
        return f"#{self.first_id}–{self.last_id}（{self.count}条）"
