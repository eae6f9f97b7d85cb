"""Charity projects and volunteers, households' needs, and the matches between them (DESIGN §3.8)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from households.glossary import NeedKind
from households.models import AssistanceRecord, Household, Member

from .glossary import MatchStatus, NeedStatus, ResourceKind

TEXT_LENGTH = 500


class SocialResource(models.Model):
    """A charity project or a volunteer (team): what it offers and in which towns."""

    kind = models.CharField("类型", max_length=16, choices=ResourceKind.choices)
    name = models.CharField("名称", max_length=100)
    organization = models.CharField("实施单位/所属组织", max_length=100, blank=True)
    need_kind = models.CharField("提供帮扶类型", max_length=16, choices=NeedKind.choices)
    offer = models.CharField("帮扶内容", max_length=200)
    towns = models.ManyToManyField(
        OrgUnit, verbose_name="服务镇", related_name="+", limit_choices_to={"kind": "town"}
    )
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    active = models.BooleanField("在服务", default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[towns])

    class Meta:
        verbose_name = "社会力量(慈善项目、志愿者)"
        verbose_name_plural = "社会力量(慈善项目、志愿者)"
        ordering = ["-active", "need_kind", "name"]
        indexes = [models.Index(fields=["need_kind", "active"])]

    def __str__(self) -> str:
        return self.name


class HouseholdNeed(models.Model):
    """What a household (or one member) needs, recorded by its town or village."""

    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.CASCADE, related_name="social_needs"
    )
    member = models.ForeignKey(
        Member, verbose_name="成员", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("需求类型", max_length=16, choices=NeedKind.choices)
    description = models.TextField(
        "需求说明", max_length=TEXT_LENGTH, validators=[MaxLengthValidator(TEXT_LENGTH)]
    )
    status = models.CharField("状态", max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    recorded_on = models.DateField("登记日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "帮扶需求"
        verbose_name_plural = "帮扶需求"
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household_id}"


class NeedMatch(models.Model):
    """A need matched to a project or volunteer; once helped, the help is an assistance record."""

    need = models.ForeignKey(
        HouseholdNeed, verbose_name="需求", on_delete=models.CASCADE, related_name="matches"
    )
    resource = models.ForeignKey(
        SocialResource, verbose_name="社会力量", on_delete=models.PROTECT, related_name="matches"
    )
    status = models.CharField(
        "状态", max_length=16, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    matched_on = models.DateField("对接日期")
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="对接人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    help_record = models.OneToOneField(
        AssistanceRecord,
        verbose_name="帮扶记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_match",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "需求对接"
        verbose_name_plural = "需求对接"
        ordering = ["-matched_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "resource"],
                condition=~Q(status="cancelled"),
                name="one_live_match_per_need_and_resource",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need} ↔ {self.resource}"
