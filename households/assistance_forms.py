"""Forms of special assistance: hand entry, temporary assistance and its explanation (DESIGN §3.8)."""

from __future__ import annotations

from typing import Any

from django import forms

from daye_relief.widgets import DateEntry

from .glossary import AssistanceKind, AssistanceSource
from .models import Member


class MemberChoiceField(forms.ModelChoiceField):
    """A choice among the household's members, each with relation and masked ID (Member.choice_label)."""

    def label_from_instance(self, obj: Member) -> str:
        return obj.choice_label


def _date_input() -> forms.DateInput:
    return DateEntry()


class _MemberForm(forms.Form):
    member = MemberChoiceField(queryset=Member.objects.none(), label="救助对象")

    def __init__(self, *args: Any, household: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = household.members.filter(is_active=True)  # type: ignore[attr-defined]


class AssistanceRecordForm(_MemberForm):
    kind = forms.ChoiceField(
        label="救助类型", choices=[c for c in AssistanceKind.choices if c[0] != AssistanceKind.TEMPORARY]
    )
    received_on = forms.DateField(label="救助日期", widget=_date_input())
    amount = forms.DecimalField(
        label="金额(元)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="实物或服务类帮扶可不填",
    )
    note = forms.CharField(label="说明", required=False, max_length=200)


class TemporaryAssistanceForm(_MemberForm):
    received_on = forms.DateField(label="救助日期", widget=_date_input())
    amount = forms.DecimalField(label="金额(元)", min_value=0, max_digits=14, decimal_places=2)
    reason = forms.CharField(
        label="救助事由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明救助事由。"},
    )


class ExplanationForm(forms.Form):
    explanation = forms.CharField(
        label="事后情况说明",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写情况说明。"},
    )


class AssistanceSearchForm(forms.Form):
    kind = forms.ChoiceField(
        label="救助类型", required=False, choices=[("", "全部"), *AssistanceKind.choices]
    )
    source = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部"), *AssistanceSource.choices]
    )
    start = forms.DateField(label="起始日期", required=False, widget=_date_input())
    end = forms.DateField(label="截止日期", required=False, widget=_date_input())
