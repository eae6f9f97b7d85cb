"""Risk elimination (风险消除, DESIGN §3.7): the town's collective review and its decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import OrgUnit
from households.models import Household

from ..glossary import (
    RiskBasis,
    RiskDecisionKind,
    RiskReviewStatus,
)


class RiskReview(models.Model):
    """A town's collective review of risk-elimination candidates: who took part, when, the decision per
    household; filed with the 农业农村局, whose acknowledgement ends the monitoring enrollments."""

    town = models.ForeignKey(OrgUnit, verbose_name="镇", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("研判日期")
    participants = models.TextField("参加人员", max_length=1000)
    note = models.TextField("研判意见", blank=True, max_length=1000)
    status = models.CharField(
        "状态", max_length=16, choices=RiskReviewStatus.choices, default=RiskReviewStatus.DECIDED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    filed_on = models.DateField("报备日期", null=True, blank=True)
    acknowledged_on = models.DateField("确认日期", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_note = models.TextField("退回意见", blank=True, max_length=1000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "风险消除研判"
        verbose_name_plural = "风险消除研判"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.town} {self.held_on}"


class RiskDecision(models.Model):
    """The review's decision on one candidate household."""

    review = models.ForeignKey(
        RiskReview, verbose_name="研判", on_delete=models.CASCADE, related_name="decisions"
    )
    household = models.ForeignKey(
        Household, verbose_name="家庭", on_delete=models.PROTECT, related_name="risk_decisions"
    )
    basis = models.CharField("依据", max_length=16, choices=RiskBasis.choices)
    decision = models.CharField("研判结论", max_length=16, choices=RiskDecisionKind.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    ended_on = models.DateField("监测结束日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "风险消除研判结论"
        verbose_name_plural = "风险消除研判结论"
        ordering = ["review_id", "household__household_number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "household"], name="unique_risk_decision_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_decision_display()}"
