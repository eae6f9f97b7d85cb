"""The online application's forms: the self-check's household and member forms (eligibility.forms),
extended with what an application needs: names, ID numbers, the village, the phone, the situation, the
categories asked about, the documents and the commitment (DESIGN §3.12)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django import forms

from accounts.glossary import OrgKind
from accounts.models import OrgUnit
from applications.forms import IntakeForm
from applications.glossary import LONG_TEXT
from eligibility.forms import SelfCheckHouseholdForm, SelfCheckMemberForm
from evidence.codes import DocumentKind
from households.forms.households import HouseholdForm, MemberForm
from households.glossary import Relation
from households.idnumbers import InvalidIdNumber, parse

from .codes import PUBLIC_KINDS, Asked

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
HONEYPOT = "homepage"  # a field no person sees or fills (hidden by the stylesheet, skipped by the tab key)


def village_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """The city's villages grouped by town (镇 → 村), for a select that works without a script."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    towns: dict[str, str] = {}
    for village in OrgUnit.objects.filter(kind=OrgKind.VILLAGE).select_related("parent").order_by("code"):
        town = village.parent.name if village.parent else ""
        towns.setdefault(town, village.code)
        groups[town].append((village.pk, village.name))
    return [(town, groups[town]) for town in sorted(groups, key=towns.__getitem__)]


def clean_phone(raw: str) -> str:
    phone = "".join(raw.split())
    if not PHONE.match(phone):
        raise forms.ValidationError("请填写11位手机号码，或带区号的固定电话（如 0714-8720000）。")
    return phone


class OnlineMemberForm(SelfCheckMemberForm):
    """A member as the self-check asks for one, with the name and ID number an application needs. The
    birth date may be left blank: it is read from the ID number."""

    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_number = forms.CharField(
        label="身份证号码",
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "maxlength": 18}),
    )
    field_order = ["name", "id_number", "relation", "birth_date"]

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number", "")
        if not raw.strip():
            return ""
        try:
            return parse(raw, today=self.today).number
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data.get("name", "").split())

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        number = data.get("id_number")
        if number and not data.get("birth_date") and "birth_date" not in self.errors:
            data["birth_date"] = parse(number).birth_date  # the form's own check then sees it filled
        data = super().clean()
        if data.get("relation") or data.get("name") or number:
            if not data.get("name"):
                self.add_error("name", "请填写姓名。")
            if not number and "id_number" not in self.errors:
                self.add_error("id_number", "请填写身份证号码。")
            if not data.get("relation") and "relation" not in self.errors:
                self.add_error("relation", "请选择与申请人关系。")
        return data

    def has_person(self) -> bool:
        return bool(self.cleaned_data.get("relation") or self.cleaned_data.get("id_number"))


def _first_is_applicant(form: OnlineMemberForm, index: int) -> None:
    if index == 0:
        form.fields["relation"].initial = Relation.APPLICANT


class OnlineMemberFormSetBase(forms.BaseFormSet):
    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]  # Django's, not in the stubs
        _first_is_applicant(form, i)
        return form

    def clean(self) -> None:
        numbers = [f.cleaned_data.get("id_number") for f in self.forms if getattr(f, "cleaned_data", None)]
        numbers = [n for n in numbers if n]
        if len(numbers) != len(set(numbers)):
            raise forms.ValidationError("同一个身份证号码填写了两次，请核对。")


OnlineMemberFormSet = forms.formset_factory(
    OnlineMemberForm, formset=OnlineMemberFormSetBase, extra=6, max_num=12
)


class OnlineHouseholdForm(SelfCheckHouseholdForm):
    """The self-check's household form as it is: hukou type, assets, rigid expenses."""


class ApplyForm(forms.Form):
    village = forms.TypedChoiceField(label="户籍所在村(居)", coerce=int, choices=())
    phone = forms.CharField(label="联系电话", max_length=20, help_text="用于接收办理进度短信和工作人员联系")
    situation = forms.CharField(
        label="家庭困难情况",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="请写明家庭遇到的困难，如患病、残疾、失业、意外事故、收入减少等",
    )
    asked = forms.MultipleChoiceField(
        label="想申请的救助帮扶",
        choices=Asked.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选一项；不清楚的，请选“不清楚，请帮我判断”。"},
    )
    commitment = forms.BooleanField(
        label="本人承诺：所填写的家庭成员、收入和财产情况真实、完整；同意工作人员依法核对家庭经济状况；"
        "如有虚报、隐瞒、伪造，愿意承担相应责任。",
        error_messages={"required": "请阅读并勾选真实性承诺。"},
    )
    commitment_name = forms.CharField(label="承诺人签名（请输入申请人姓名）", max_length=50)
    homepage = forms.CharField(label="请勿填写此项", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "请选择"), *village_choices()]  # type: ignore[attr-defined]
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_asked(self) -> list[str]:
        asked: list[str] = self.cleaned_data["asked"]
        return [Asked.UNSURE] if Asked.UNSURE in asked else asked

    def clean_commitment_name(self) -> str:
        return " ".join(self.cleaned_data["commitment_name"].split())

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


KIND_LABELS = dict(DocumentKind.choices)
PUBLIC_KIND_HELP = {
    DocumentKind.ID_CARD: "家庭成员身份证正反面",
    DocumentKind.HUKOU: "户口簿首页和各成员页",
    DocumentKind.INCOME_PROOF: "工资、养老金等收入证明（如有）",
    DocumentKind.ILLNESS_PROOF: "病历、疾病诊断证明（如有）",
    DocumentKind.DISABILITY_CERT: "残疾人证（如有）",
    DocumentKind.OTHER: "其他能说明困难情况的材料（如有）",
}


def document_fields() -> list[tuple[str, str, str]]:
    """(input name, label, help) of each kind a family may send: one file input each, several files each."""
    return [(f"doc_{kind}", KIND_LABELS[kind], PUBLIC_KIND_HELP[kind]) for kind in PUBLIC_KINDS]


# The clerk's side: accepting an online application runs the ordinary intake, prefilled.


class OnlineIntakeForm(forms.Form):
    """The intake's own fields for a family registered from its online application (its applicant is the
    member typed as 申请人; it applied itself, online)."""

    procedure = IntakeForm.base_fields["procedure"]
    situation = IntakeForm.base_fields["situation"]
    materials = IntakeForm.base_fields["materials"]
    materials_given_on = IntakeForm.base_fields["materials_given_on"]
    commitment_signed_on = IntakeForm.base_fields["commitment_signed_on"]
    accepted_on = IntakeForm.base_fields["accepted_on"]


class OnlineIntoHouseholdForm(IntakeForm):
    """The ordinary intake form of a stored household, for an application that came in online."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["channel"]


class OnlineAdjustmentForm(forms.Form):
    note = forms.CharField(label="调整事由", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    opened_on = IntakeForm.base_fields["accepted_on"]


OnlineHouseholdRegisterForm = HouseholdForm
MemberFormSet = forms.formset_factory(MemberForm, extra=0, max_num=12)


def member_initial(typed: dict[str, Any], *, phone: str) -> dict[str, Any]:
    """A member form's initial values from what the family typed."""
    initial = {
        key: typed.get(key)
        for key in (
            "name",
            "id_number",
            "relation",
            "labor_capacity",
            "lives_together",
            "shares_finances",
            "education_level",
            "disability_type",
            "disability_grade",
            "serious_illness",
            "imprisoned",
        )
    }
    initial["full_time_student"] = bool(typed.get("education_level"))
    initial["parents_status"] = "unable" if typed.get("parents_unable") else "able"
    initial["full_civil_capacity"] = True
    if typed.get("relation") == Relation.APPLICANT:
        initial["phone"] = phone
    return {key: value for key, value in initial.items() if value not in (None, "")}
