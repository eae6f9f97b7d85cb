"""Forms of a warning's actions: feedback and opening an adjustment."""

from __future__ import annotations

from typing import Any

from django import forms

from daye_relief.widgets import DateEntry

from ..glossary import WarningAction


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
