"""The notice and the long-term list as PDFs, A4 or A3: the board notice for the village's fixed board
(staff only, full names) and the public copies (names masked) share one layout."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from daye_relief.pdf import render_pdf

# A3 is A4 scaled by √2 on each side: the board copy keeps the proportions and is read from further away.
LAYOUTS = {
    "A4": {"paper": "A4", "margin": "15mm", "font": "10.5pt", "small": "8pt", "qr": "30mm", "scale": 1},
    "A3": {"paper": "A3", "margin": "21mm", "font": "14.8pt", "small": "11.3pt", "qr": "42mm", "scale": 1.41},
}


def paper(request: HttpRequest) -> dict[str, Any]:
    return LAYOUTS["A3" if request.GET.get("paper", "").upper() == "A3" else "A4"]


def _qr_data_uri(url: str) -> str:
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, public_path: str, filename: str
) -> HttpResponse:
    """The PDF, with a QR code of the page on the internet that mirrors it."""
    url = request.build_absolute_uri(public_path)
    layout = paper(request)
    pdf = render_pdf(
        template,
        {
            **context,
            "layout": layout,
            "paper": layout["paper"],
            "qr": _qr_data_uri(url),
            "url": url,
            "printed_on": timezone.localdate(),
        },
    )
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}-{layout["paper"]}.pdf"'},
    )
