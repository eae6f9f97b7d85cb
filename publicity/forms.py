from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from applications.models import Application
from daye_relief.widgets import DateEntry

from .glossary import OBJECTOR_MAX, TEXT_MAX, ObjectionChannel

DATE = DateEntry()


class CaseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.case_number} {obj.applicant.name}"


class NoticeForm(forms.Form):
    """Which cases a draft notice holds (its title is composed, never typed)."""

    applications = CaseChoices(
        queryset=Application.objects.none(), label="纳入本次公示的案件", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = choices  # type: ignore[attr-defined]


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label="受理日期", widget=DATE, initial=timezone.localdate)
    channel = forms.ChoiceField(label="反映方式", choices=ObjectionChannel.choices)
    objector = forms.CharField(
        label="反映人（可匿名，留空即为匿名）",
        required=False,
        max_length=OBJECTOR_MAX,
        error_messages={"max_length": f"反映人最多 {OBJECTOR_MAX} 个字。"},
    )
    content = forms.CharField(
        label="反映内容",
        max_length=TEXT_MAX,
        error_messages={"max_length": f"反映内容最多 {TEXT_MAX} 个字。"},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复",
        max_length=TEXT_MAX,
        error_messages={"max_length": f"答复最多 {TEXT_MAX} 个字。", "required": "请填写答复内容。"},
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )
