from __future__ import annotations

from typing import Any

from django import forms

from daye_relief.widgets import DateEntry

from .datasets import Dataset
from .glossary import VISIT_ITEMS, Assurance, VisitMethod, WarningAction

MAX_UPLOAD_MB = 200


class UploadForm(forms.Form):
    dataset = forms.ChoiceField(label="数据集")
    period = forms.RegexField(
        label="数据期",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="数据所属月份，格式 YYYY-MM，如 2026-01",
        error_messages={"invalid": "数据期格式应为 YYYY-MM，如 2026-01。"},
        widget=forms.TextInput(attrs={"placeholder": "2026-01", "inputmode": "numeric"}),
    )
    file = forms.FileField(
        label="数据文件",
        help_text="CSV（UTF-8 或 GBK）、XLSX（第一个工作表）或 JSON；表头可用中文或英文，列顺序不限",
    )

    def __init__(self, *args: Any, datasets: list[Dataset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dataset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(d.key, f"{d.label}（{d.key}）") for d in datasets]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {MAX_UPLOAD_MB} MB，请分批上传或使用接口报送。")
        return upload


class _DeathChangeFields(forms.Form):
    """The death a `death` warning proposes as the member change of the adjustment case, shown to the
    clerk prefilled from the shared row (only when `death` is given)."""

    def __init__(self, *args: Any, death: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if death:
            self.fields["happened_on"] = forms.DateField(
                label="死亡日期",
                required=False,
                widget=DateEntry(),
                help_text="已按共享数据填写；重新调查时据此办理成员变更（死亡）",
            )
            self.fields["evidence"] = forms.CharField(label="证明材料", required=False, max_length=100)


class FeedbackForm(_DeathChangeFields):
    action = forms.ChoiceField(label="处理方式", choices=[("", "请选择"), *WarningAction.choices])
    feedback = forms.CharField(
        label="处理情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="选择“无需处理”时须写明理由；镇社会事务办选择“重新调查”即启动动态调整案件",
    )

    field_order = ["action", "feedback", "happened_on", "evidence"]


class OpenAdjustmentForm(_DeathChangeFields):
    note = forms.CharField(label="调整事由", widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["note", "happened_on", "evidence"]


# Visits and risk elimination ------------------------------------------------------------------------

DATE = DateEntry()


class VisitForm(forms.Form):
    """The phone form: date, method, visitors, then the six items each with secure / not secure and a note."""

    visited_on = forms.DateField(label="巡访日期", widget=DATE)
    method = forms.ChoiceField(label="巡访方式", choices=VisitMethod.choices, widget=forms.RadioSelect)
    visitors = forms.CharField(
        label="巡访人员", max_length=200, help_text="姓名，多人用顿号分隔", widget=forms.TextInput()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in VISIT_ITEMS:
            self.fields[key] = forms.ChoiceField(
                label=label, choices=Assurance.choices, widget=forms.RadioSelect(attrs={"class": "assure"})
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=f"{label}说明", max_length=300, required=False, help_text="无保障时必填"
            )
        self.fields["note"] = forms.CharField(
            label="其他情况", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def item_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[key], self[f"{key}_note"]) for key, _ in VISIT_ITEMS]

    def items(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {key: (data.get(key, ""), data.get(f"{key}_note", "")) for key, _ in VISIT_ITEMS}


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
