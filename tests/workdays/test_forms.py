"""Reading dates as a notice lists them (the administrator's entry form)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from workdays.forms import parse_date_list


def test_ranges_and_single_dates_with_any_separator():
    text = "2027-02-05~2027-02-07、2027-04-05，2027-05-01 至 2027-05-02\n2027/10/1"
    assert parse_date_list(text) == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 4, 5),
        date(2027, 5, 1),
        date(2027, 5, 2),
        date(2027, 10, 1),
    ]


def test_empty_text_is_no_dates():
    assert parse_date_list("  \n ") == []


@pytest.mark.parametrize(
    "text", ["2027-02-30", "二月五日", "2027-02-07~2027-02-05", "2027-01-01~2027-06-01", "2027-01-01~"]
)
def test_wrong_dates_are_refused(text):
    with pytest.raises(ValidationError):
        parse_date_list(text)
