"""Forms of the checks' pages: the annual plan (a share per town), an ad hoc check, a task's result."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import OrgUnit
from daye_relief.widgets import DateEntry

from ..glossary import CheckPlanMode, CheckResult


class CheckPlanForm(forms.Form):
    year = forms.IntegerField(label="核查年度", min_value=2000, max_value=2100)
    mode = forms.ChoiceField(
        label="抽取方式",
        choices=CheckPlanMode.choices,
        widget=forms.RadioSelect,
        initial=CheckPlanMode.SAMPLE,
    )
    seed = forms.CharField(
        label="随机种子",
        max_length=64,
        required=False,
        help_text="相同种子、相同在册家庭抽出的家庭相同；不填则由系统生成并记录。",
    )
    due_on = forms.DateField(label="完成期限", widget=DateEntry())

    def __init__(self, *args: Any, towns: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.towns = towns
        self.fields["year"].initial = timezone.localdate().year
        for town in towns:
            self.fields[f"share_{town.code}"] = forms.DecimalField(
                label=f"{town.name}抽取比例(%)",
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=False,
                initial=10,
            )

    def shares(self) -> dict[str, Any]:
        return {town.code: self.cleaned_data.get(f"share_{town.code}") or 0 for town in self.towns}


class AdHocCheckForm(forms.Form):
    reason = forms.CharField(label="核查事由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="完成期限", widget=DateEntry())


class CheckResultForm(forms.Form):
    result = forms.ChoiceField(label="核查结果", choices=CheckResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="核查情况", max_length=900, widget=forms.Textarea(attrs={"rows": 3}))
