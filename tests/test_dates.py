"""Every date box takes the ways people write a date in Chinese (issue 17.2), and shows it back as
年-月-日; Django's own zh_Hans list read "2026年10月5日" as a day of the year and refused it."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from daye_relief.widgets import DateEntry


class Period(forms.Form):
    start = forms.DateField(label="起始日期", widget=DateEntry())


@pytest.mark.parametrize(
    "typed", ["2026-10-05", "2026/10/05", "2026年10月5日", "2026年10月05日", "2026-10-5", "2026.10.05"]
)
def test_each_way_of_writing_the_date_is_read(typed: str) -> None:
    form = Period({"start": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == date(2026, 10, 5)
    assert 'value="2026-10-05"' in str(form["start"])


@pytest.mark.parametrize("typed", ["10/05/2026", "2026-11-31", "明天", "20261005"])
def test_anything_else_is_refused_in_chinese_and_kept_as_typed(typed: str) -> None:
    form = Period({"start": typed})
    assert not form.is_valid()
    assert form.errors["start"] == ["输入一个有效的日期。"]
    assert f'value="{typed}"' in str(form["start"])


def test_the_box_is_text_with_a_chinese_hint_not_the_browsers_date_input() -> None:
    html = str(Period(initial={"start": date(2026, 1, 1)})["start"])
    assert 'type="text"' in html
    assert 'placeholder="年-月-日，如 2026-10-05"' in html
    assert 'value="2026-01-01"' in html
