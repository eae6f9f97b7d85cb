"""The holiday arrangement an administrator enters (DESIGN §2, §3.5): what the packages do not know yet."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

WEEKDAY_LABELS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class CalendarYear(models.Model):
    """An administrator's declaration that a year's official arrangement has been entered.

    When `complete` is set, the year is judged from the entered days alone: a weekday not entered is a
    working day, a weekend day not entered is off. Until then, days not entered fall back to the packages.
    """

    year = models.PositiveSmallIntegerField(
        "年份", unique=True, validators=[MinValueValidator(1950), MaxValueValidator(2200)]
    )
    complete = models.BooleanField(
        "该年安排已完整录入",
        default=False,
        help_text="勾选后，该年未录入的日期一律按“周一至周五上班、周六周日休息”计算，不再使用程序包或推算。",
    )
    source = models.CharField(
        "依据文件", max_length=300, blank=True, help_text="例如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    note = models.TextField("备注", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """One day of an entered arrangement: a day off (holiday) or a swapped working day (调休上班)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "上班", default=False, help_text="勾选：调休上班日；不勾选：放假（节假日或调休休息日）"
    )
    note = models.CharField("说明", max_length=100, blank=True, help_text="例如：春节、国庆节调休上班")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date.isoformat()}（{WEEKDAY_LABELS[self.date.weekday()]}）{kind}"
