"""Form widgets shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms


class DateEntry(forms.DateInput):
    """A date typed as 年-月-日 in a text box, whatever the browser's language: `<input type=date>` shows
    the browser's own format (mm/dd/yyyy in an English Chromium) and drops a value it cannot read. The
    field accepts 2026-10-05, 2026/10/05 and 2026年10月5日 (daye_relief/formats); static/js/dates.js adds
    a calendar to pick from."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        shown = {
            "class": "date-entry",
            "placeholder": "年-月-日，如 2026-10-05",
            "autocomplete": "off",
            "maxlength": "12",
            "size": "12",
        }
        super().__init__(attrs={**shown, **(attrs or {})}, format=format or "%Y-%m-%d")

    def format_value(self, value: Any) -> str | None:
        """A date typed another accepted way is shown back as 年-月-日 (2025年7月1日 → 2025-07-01); text
        that is no date stays as typed, beside its error."""
        if isinstance(value, str) and value.strip():
            try:
                value = forms.DateField().to_python(value)
            except forms.ValidationError:
                return value
        return super().format_value(value)
