"""Visits (巡访) and the weekly summaries of overdue visits (DESIGN §3.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from households.models import Household

from ..glossary import (
    VISIT_ITEMS,
    Assurance,
    VisitMethod,
)


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
