from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from daye_relief.widgets import DateEntry
from households.glossary import (
    DisabilityGrade,
    DisabilityType,
    EducationLevel,
    HukouType,
    LaborCapacity,
    Relation,
)

from .models import PolicyParameter
from .snapshot import EARLIEST_BIRTH_DATE

DATE_INPUT = DateEntry()


class ParameterForm(forms.ModelForm):
    close_previous = forms.BooleanField(
        label="自动截止上一条",
        required=False,
        initial=True,
        help_text="新记录生效时，把同一参数、同一区域长期有效的上一条记录截止到前一天",
    )

    class Meta:
        model = PolicyParameter
        fields = ["code", "region_code", "valid_from", "valid_to", "value", "source", "placeholder"]
        widgets = {"valid_from": DATE_INPUT, "valid_to": DATE_INPUT}

    def clean_region_code(self) -> str:
        code: str = self.cleaned_data["region_code"].strip()
        if not (code.isdigit() and len(code) in (6, 9, 12)):
            raise forms.ValidationError("区域代码应为6位、9位或12位数字。")
        return code


class ReevaluationForm(forms.Form):
    as_of = forms.DateField(label="按哪一天生效的参数测算", widget=DATE_INPUT)
    reason = forms.CharField(label="原因", max_length=200, required=False)


# The public self-check: no names, no ID numbers, nothing stored.

MONEY: dict[str, Any] = {"min_value": Decimal(0), "max_digits": 12, "decimal_places": 2}


class SelfCheckHouseholdForm(forms.Form):
    as_of = forms.DateField(widget=forms.HiddenInput, required=False)
    hukou_type = forms.ChoiceField(label="户籍类型", choices=HukouType.choices, initial=HukouType.RURAL)
    financial_assets = forms.DecimalField(label="存款、理财、有价证券等合计（元）", initial=0, **MONEY)
    motor_vehicles = forms.IntegerField(
        label="汽车数量（不含摩托车、三轮车、残疾人代步车）", min_value=0, max_value=99, initial=0
    )
    motor_vehicle_value = forms.DecimalField(label="汽车价值合计（元）", initial=0, **MONEY)
    houses = forms.IntegerField(label="自有住房套数", min_value=0, max_value=99, initial=1)
    registered_business = forms.BooleanField(label="家庭成员开办或经营登记注册的公司、企业", required=False)
    medical = forms.DecimalField(label="近一年医疗自付费用（元）", initial=0, **MONEY)
    education = forms.DecimalField(label="近一年教育支出（元）", initial=0, **MONEY)
    other = forms.DecimalField(label="近一年其他必需支出（元）", initial=0, **MONEY)


class SelfCheckMemberForm(forms.Form):
    relation = forms.ChoiceField(label="与申请人关系", choices=[("", "—"), *Relation.choices], required=False)
    birth_date = forms.DateField(label="出生日期", widget=DATE_INPUT, required=False)
    labor_capacity = forms.ChoiceField(
        label="劳动能力", choices=LaborCapacity.choices, initial=LaborCapacity.FULL
    )
    annual_income = forms.DecimalField(label="近12个月收入（元）", initial=0, **MONEY)
    lives_together = forms.BooleanField(label="长期共同居住", required=False, initial=True)
    shares_finances = forms.BooleanField(label="收支共享", required=False, initial=True)
    education_level = forms.ChoiceField(
        label="全日制在读", choices=[("", "不在读"), *EducationLevel.choices], required=False
    )
    disability_type = forms.ChoiceField(
        label="残疾类别", choices=[("", "无"), *DisabilityType.choices], required=False
    )
    disability_grade = forms.TypedChoiceField(
        label="残疾等级",
        choices=[("", "无"), *DisabilityGrade.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    serious_illness = forms.BooleanField(label="患重病", required=False)
    imprisoned = forms.BooleanField(label="正在服刑", required=False)
    parents_unable = forms.BooleanField(
        label="父母均已死亡、失踪或无抚养能力",
        required=False,
        help_text="只用于父母不在本户的未成年人（如孙子女）",
    )

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["birth_date"].widget.attrs.update(
            {"min": EARLIEST_BIRTH_DATE.isoformat(), "max": self.today.isoformat()}
        )

    def clean_birth_date(self) -> date | None:
        """Not in the future and not before 1900 (the snapshot schema's limits), refused at once."""
        birth: date | None = self.cleaned_data.get("birth_date")
        if birth is not None and birth > self.today:
            raise forms.ValidationError("出生日期不能晚于今天。")
        if birth is not None and birth < EARLIEST_BIRTH_DATE:
            raise forms.ValidationError("出生日期不能早于1900年1月1日。")
        return birth

    def has_person(self) -> bool:
        return bool(self.cleaned_data.get("relation"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("relation") and not data.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", "请填写出生日期。")
        if data.get("birth_date") and not data.get("relation"):
            self.add_error("relation", "请选择与申请人关系。")
        if bool(data.get("disability_type")) != bool(data.get("disability_grade")):
            self.add_error("disability_grade", "残疾类别和残疾等级需同时填写。")
        return data


SelfCheckMemberFormSet = forms.formset_factory(SelfCheckMemberForm, extra=6, max_num=12)


def self_check_snapshot(
    household: dict[str, Any], members: list[dict[str, Any]], today: date
) -> dict[str, Any]:
    """Turns the self-check form into a v1 snapshot, so that it is judged like any other. A form that also
    asks for names and ID numbers (the online application's) has them in the snapshot, where the engine's
    validation checks each ID against its birth date."""
    money = lambda value: f"{Decimal(value or 0).quantize(Decimal('0.01'))}"  # noqa: E731
    return {
        "schema": "household-snapshot/1",
        "as_of": (household.get("as_of") or today).isoformat(),
        "hukou_type": household["hukou_type"],
        "members": [
            {
                "ref": str(index),
                "name": member.get("name") or f"第{index}位家庭成员",
                **({"id_number": member["id_number"]} if member.get("id_number") else {}),
                "relation": member["relation"],
                "birth_date": member["birth_date"].isoformat(),
                "labor_capacity": member["labor_capacity"],
                "annual_income": money(member["annual_income"]),
                "lives_together": member["lives_together"],
                "shares_finances": member["shares_finances"],
                "full_time_student": bool(member["education_level"]),
                **({"education_level": member["education_level"]} if member["education_level"] else {}),
                "disability_type": member["disability_type"] or None,
                "disability_grade": member["disability_grade"],
                "serious_illness": member["serious_illness"],
                "imprisoned": member["imprisoned"],
                **({"parents_status": "unable"} if member.get("parents_unable") else {}),
            }
            for index, member in enumerate(members, start=1)
        ],
        "assets": {
            "financial_assets": money(household["financial_assets"]),
            "motor_vehicles": household["motor_vehicles"],
            "motor_vehicle_value": money(household["motor_vehicle_value"]),
            "houses": household["houses"],
            "registered_business": household["registered_business"],
        },
        "annual_rigid_expenses": {k: money(household[k]) for k in ("medical", "education", "other")},
    }
