from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from applications.models import Application

from .glossary import ObjectionChannel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.case_number} {obj.applicant.name}"


class NoticeCreateForm(forms.Form):
    applications = CaseChoices(
        queryset=Application.objects.none(), label="纳入本次公示的案件", widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label="公示标题", required=False, max_length=100, help_text="留空则使用默认标题")

    def __init__(self, *args: Any, awaiting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = awaiting  # type: ignore[attr-defined]


class PostForm(forms.Form):
    posted_on = forms.DateField(label="张贴日期", widget=DATE, initial=timezone.localdate)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="结束日期", widget=DATE, initial=timezone.localdate)


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label="受理日期", widget=DATE, initial=timezone.localdate)
    channel = forms.ChoiceField(label="反映方式", choices=ObjectionChannel.choices)
    objector = forms.CharField(label="反映人（可匿名，留空即为匿名）", required=False, max_length=50)
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 2}))
    answered_on = forms.DateField(label="答复日期", widget=DATE, initial=timezone.localdate)
