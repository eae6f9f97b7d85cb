"""Forms of special assistance: hand entry, temporary assistance and its explanation (DESIGN §3.8)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from daye_relief.widgets import DateEntry

from ..glossary import AssistanceKind, AssistanceSource
from ..models import Member


class MemberChoiceField(forms.ModelChoiceField):
    """A choice among the household's members, each with relation and masked ID (Member.choice_label)."""

    def label_from_instance(self, obj: Member) -> str:
        return obj.choice_label


def _date_input() -> forms.DateInput:
    return DateEntry()


class _MemberForm(forms.Form):
    member = MemberChoiceField(queryset=Member.objects.none(), label="救助对象")

    def __init__(self, *args: Any, household: Any, keep_member_id: int | None = None, **kwargs: Any) -> None:
        """`keep_member_id`: a member who has left the household but is already on the record stays a
        choice, so that correcting the date of an old record does not force a change of member."""
        super().__init__(*args, **kwargs)
        members = Q(is_active=True) | Q(pk=keep_member_id) if keep_member_id else Q(is_active=True)
        self.fields["member"].queryset = household.members.filter(members)  # type: ignore[attr-defined]


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


def _correction_reason() -> forms.CharField:
    return forms.CharField(
        label="更正原因",
        max_length=100,
        help_text="写入修改历史，例如“金额录入有误，以发放清单为准”",
        error_messages={"required": "请写明更正原因。"},
    )


class AssistanceCorrectionForm(AssistanceRecordForm):
    """Correcting a hand-entered record: its fields as entered, and why they change."""

    correction_reason = _correction_reason()


class TemporaryCorrectionForm(TemporaryAssistanceForm):
    correction_reason = _correction_reason()


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
