from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import OrgUnit
from daye_relief.widgets import DateEntry
from households.forms.assistance import MemberChoiceField
from households.glossary import NeedKind
from households.models import Member

from .glossary import NeedStatus
from .models import SocialResource


class SocialResourceForm(forms.ModelForm):
    towns = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.filter(kind="town").order_by("code"),
        label="服务镇",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SocialResource
        fields = ["kind", "name", "organization", "need_kind", "offer", "towns", "contact", "active"]


class NeedForm(forms.Form):
    member = MemberChoiceField(
        queryset=Member.objects.none(), label="需求成员", required=False, empty_label="全户"
    )
    kind = forms.ChoiceField(label="需求类型", choices=NeedKind.choices)
    description = forms.CharField(
        label="需求说明",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明需求。"},
    )

    def __init__(self, *args: Any, household: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = household.members.filter(is_active=True)  # type: ignore[attr-defined]


class HelpForm(forms.Form):
    received_on = forms.DateField(label="帮扶日期", widget=DateEntry())
    amount = forms.DecimalField(
        label="折合金额(元)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="服务或实物帮扶可不填",
    )
    note = forms.CharField(label="帮扶内容", required=False, max_length=150)


class ResourceFilterForm(forms.Form):
    need_kind = forms.ChoiceField(label="帮扶类型", required=False, choices=[("", "全部"), *NeedKind.choices])


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *NeedStatus.choices])
    kind = forms.ChoiceField(label="需求类型", required=False, choices=[("", "全部"), *NeedKind.choices])
