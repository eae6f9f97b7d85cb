"""The administrator's form for entering a year's arrangement as the State Council's notice lists it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .models import CalendarYear
from .services import arrangement_errors

RANGE_SEPARATOR = re.compile(r"\s*(?:~|～|至|\.\.)\s*")
LIST_SEPARATOR = re.compile(r"[\s,，、;；]+")
DATE_TOKEN = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})")
LONGEST_RANGE = 60


def _one_date(token: str) -> date:
    match = DATE_TOKEN.fullmatch(token)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise ValidationError(f"“{token}”不是有效日期，请写成YYYY-MM-DD。")


def parse_date_list(text: str) -> list[date]:
    """Dates and ranges as a notice lists them: "2027-02-05~2027-02-13、2027-04-05" (sorted, unique)."""
    days: set[date] = set()
    for token in LIST_SEPARATOR.split(RANGE_SEPARATOR.sub("~", text.strip())):
        if not token:
            continue
        if "~" in token:
            parts = token.split("~")
            if len(parts) != 2 or not all(parts):
                raise ValidationError(f"“{token}”不是有效的日期段，请写成 2027-02-05~2027-02-13。")
            first, last = _one_date(parts[0]), _one_date(parts[1])
            if last < first or (last - first).days >= LONGEST_RANGE:
                raise ValidationError(f"日期段“{token}”的起止日期有误。")
            days.update(first + timedelta(days=offset) for offset in range((last - first).days + 1))
        else:
            days.add(_one_date(token))
    return sorted(days)


class CalendarYearForm(forms.ModelForm):
    """The year's record plus the days of its notice; the days are entered when the form is saved."""

    holiday_dates = forms.CharField(
        label="放假日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="照通知填写，含周末在内的全部放假日期；日期段用“~”或“至”，多项用逗号、顿号或换行分隔。"
        "例如：2027-01-01~2027-01-03、2027-02-05~2027-02-13",
    )
    workday_dates = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="通知中安排上班的周六、周日，例如：2027-01-30、2027-02-20",
    )
    day_note = forms.CharField(
        label="日期说明",
        required=False,
        max_length=100,
        help_text="写入本次登记的每个日期的说明，例如：春节。留空则不改已有说明。",
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "complete", "source", "note"]

    def clean_holiday_dates(self) -> list[date]:
        return parse_date_list(self.cleaned_data.get("holiday_dates") or "")

    def clean_workday_dates(self) -> list[date]:
        return parse_date_list(self.cleaned_data.get("workday_dates") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year = cleaned.get("year")
        if year is not None and "holiday_dates" in cleaned and "workday_dates" in cleaned:
            errors = arrangement_errors(
                year=year, days_off=cleaned["holiday_dates"], working_days=cleaned["workday_dates"]
            )
            if errors:
                raise ValidationError(errors)
        return cleaned
