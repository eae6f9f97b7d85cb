"""Codes and Chinese labels of social forces (社会力量)."""

from django.db import models


class ResourceKind(models.TextChoices):
    PROJECT = "project", "慈善项目"
    VOLUNTEER = "volunteer", "志愿者(服务队)"


class NeedStatus(models.TextChoices):
    OPEN = "open", "待对接"
    MATCHED = "matched", "已对接"
    MET = "met", "已帮扶"
    CLOSED = "closed", "已关闭"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "已对接，待帮扶"
    HELPED = "helped", "已帮扶"
    CANCELLED = "cancelled", "已取消"
