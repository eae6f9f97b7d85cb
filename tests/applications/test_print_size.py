"""Printed forms at city scale (issue 12 goal 4): a one-page A4 form embeds one CJK face, one weight, cut
to the characters forms use (daye_relief/print_font.py), and weighs at most 100 KB."""

from __future__ import annotations

import pytest

from applications.models import Application
from daye_relief.print_font import build, font_path

from .test_printing import _embedded_fonts, _reader, _render, filed_case

pytestmark = pytest.mark.django_db

__all__ = ["filed_case"]


@pytest.fixture(scope="session")
def print_face() -> None:
    if not font_path().is_file():  # `make test` builds it; a bare pytest run builds it here, once
        build()


@pytest.mark.usefixtures("print_face")
@pytest.mark.parametrize("code", ["decision", "commitment", "materials"])
def test_one_page_form_embeds_one_face_and_weighs_at_most_100_kb(filed_case: Application, code: str) -> None:
    pdf = _render(filed_case, code)
    assert len(_reader(pdf).pages) == 1
    fonts = set(_embedded_fonts(pdf))
    assert len(fonts) == 1, fonts
    assert fonts.pop().endswith("+Noto-Serif-CJK-SC-Subset")
    assert len(pdf) <= 100 * 1024, f"{code}: {len(pdf) / 1024:.0f} KB"
