"""The visit form (a phone first)."""

from __future__ import annotations

from typing import Any

from django import forms

from daye_relief.widgets import DateEntry

from ..glossary import VISIT_ITEMS, Assurance, VisitMethod

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
