from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import OrgUnit
from daye_relief.forms import QuickSelect

from ..glossary import ParentsStatus
from ..idnumbers import InvalidIdNumber, normalize, parse
from ..models import Asset, ExternalSupporter, Household, Income, Member, RigidExpense


class VillageChoiceField(forms.ModelChoiceField):
    widget = QuickSelect  # a city's villages: hundreds of options

    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{obj.parent.name if obj.parent else ''} {obj.name}"


class HouseholdForm(forms.ModelForm):
    village = VillageChoiceField(queryset=OrgUnit.objects.none(), label="所在村(居)")

    class Meta:
        model = Household
        fields = ["village", "hukou_type", "address", "phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "relation",
            "marital_status",
            "lives_together",
            "shares_finances",
            "labor_capacity",
            "full_civil_capacity",
            "full_time_student",
            "education_level",
            "disability_type",
            "disability_grade",
            "serious_illness",
            "imprisoned",
            "parents_status",
            "parents_evidence",
            "phone",
        ]
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 18, "size": 20})}

    def __init__(self, *args: Any, full_ids: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most members are not minors with parents elsewhere: left out, the status is "able".
        self.fields["parents_status"].required = False
        self.keeps_stored_id = bool(self.instance.pk) and not full_ids
        if self.keeps_stored_id:
            # A role that sees ID numbers masked is not sent the full number, not even in this form:
            # the field starts blank, and left blank it keeps the stored number.
            field = self.fields["id_number"]
            field.required = False
            field.help_text = (
                f"已登记 {self.instance.masked_id_number}；号码有误时填写完整的新号码，留空则不变。"
            )
            self.initial["id_number"] = ""

    def clean_parents_status(self) -> str:
        return self.cleaned_data.get("parents_status") or ParentsStatus.ABLE

    def clean_id_number(self) -> str:
        raw = self.cleaned_data["id_number"]
        if self.keeps_stored_id and not raw.strip():
            return str(self.instance.id_number)
        try:
            return parse(raw).number
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None


class HouseholdChildForm(forms.ModelForm):
    """Base for records that hang off a household and may name one of its members."""

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("member", "supports"):
            if name in self.fields:
                self.fields[name].queryset = household.members.filter(is_active=True)  # type: ignore[attr-defined]


class IncomeForm(HouseholdChildForm):
    class Meta:
        model = Income
        fields = ["member", "kind", "annual_amount", "note"]


class AssetForm(HouseholdChildForm):
    class Meta:
        model = Asset
        fields = ["kind", "value", "note"]


class RigidExpenseForm(HouseholdChildForm):
    class Meta:
        model = RigidExpense
        fields = ["kind", "annual_amount", "note"]


class ExternalSupporterForm(HouseholdChildForm):
    class Meta:
        model = ExternalSupporter
        fields = ["supports", "name", "relation", "able_to_support", "note"]


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label="姓名 / 身份证号 / 户编号", required=False, max_length=50)
    town = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        label="镇",
        required=False,
        empty_label="全部镇",
        widget=QuickSelect,
    )
    village = VillageChoiceField(
        queryset=OrgUnit.objects.none(), label="村(居)", required=False, empty_label="全部村(居)"
    )
    category = forms.ChoiceField(label="类别", required=False, widget=QuickSelect)

    def __init__(self, *args: Any, towns: Any, villages: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", "全部类别"), *categories]  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        q: str = self.cleaned_data["q"]
        return normalize(q) if len(normalize(q)) == 18 else q.strip()
