"""Printing: a template rendered to an A4 PDF with WeasyPrint (shared by the case forms and the notices)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from .print_font import stylesheet_text


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The template rendered to PDF bytes (the page box, fonts and footer come from the template; the
    print face of daye_relief.print_font, when built, is made available to it)."""
    import weasyprint  # imported here: loading it (pango, harfbuzz) is slow and only printing needs it
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context)
    fonts = FontConfiguration()
    face = stylesheet_text()
    stylesheets = [weasyprint.CSS(string=face, font_config=fonts)] if face else []
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=stylesheets, font_config=fonts
    )
