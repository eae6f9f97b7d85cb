"""Forms of the risk-elimination review: the town's review and the bureau's return."""

from __future__ import annotations

from django import forms

from .visits import DATE


class RiskReviewForm(forms.Form):
    held_on = forms.DateField(label="研判日期", widget=DATE)
    participants = forms.CharField(
        label="参加人员",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="参加集体研判的人员姓名及职务",
    )
    note = forms.CharField(
        label="研判意见", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label="退回意见", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
