"""The form of a department's upload."""

from __future__ import annotations

from typing import Any

from django import forms

from ..datasets import Dataset

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
