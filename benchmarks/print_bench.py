"""Printed forms (issue 12 goal 4): the village notice's A4 page through `daye_relief.pdf.render_pdf` —
one page of 8 cases in the CJK print face, beside the same page with every CJK character replaced by a
Latin letter and the face by DejaVu Serif (the same layout in a Latin font) — and the notice of 50 cases.
No database: the template gets a plain context. Times are the best of `repeat` runs, in CPU seconds of
this process (other processes on a busy machine do not count), after one warm-up render.
"""

from __future__ import annotations

import io
import re
import time
from datetime import date
from types import SimpleNamespace
from typing import Any

from .measure import Measurement, stderr

TEMPLATE = "publicity/print_notice.html"
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _context(cases: int) -> dict[str, Any]:
    from publicity.printing import LAYOUTS

    town = SimpleNamespace(name="还地桥镇")
    notice = SimpleNamespace(
        title="东湖村低保、特困、边缘及防返贫监测对象公示",
        village=SimpleNamespace(name="东湖村", parent=town),
        posted_on=date(2026, 1, 5),
        closes_on=date(2026, 1, 12),
        window_days=5,
        window_working_days=True,
        contact="0714-8888888",
    )
    items = [
        {
            "name": f"柯大{'山水林田湖'[n % 5]}",
            "situation": f"家庭{n % 5 + 1}人，东湖村{n % 9 + 1}组，人均月收入{300 + n * 7}.00元",
            "findings": "经入户调查和家庭经济状况核对，收入低于当地低保标准，拟纳入低保。",
        }
        for n in range(cases)
    ]
    return {
        "notice": notice,
        "items": items,
        "committee": "东湖村村民委员会",
        "application_type": "低保、特困、低保边缘、防返贫监测",
        "layout": LAYOUTS["A4"],
        "paper": "A4",
        "qr": "",
        "url": "",
        "printed_on": date(2026, 1, 5),
    }


def _latin(html: str) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    html = _CJK.sub(lambda m: letters[ord(m.group()) % 26], html)
    return re.sub(r"font-family:[^;}]*", 'font-family: "DejaVu Serif"', html)


def _render(html: str) -> bytes:
    import weasyprint
    from django.conf import settings
    from weasyprint.text.fonts import FontConfiguration

    from daye_relief.print_font import stylesheet_text

    fonts = FontConfiguration()
    face = stylesheet_text()
    sheets = [weasyprint.CSS(string=face, font_config=fonts)] if face else []
    return bytes(
        weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=sheets, font_config=fonts
        )
    )


WALL: dict[int, float] = {}  # id of the html → best wall time, for the details


def _timed(html: str, repeat: int) -> tuple[float, bytes]:
    best, wall, pdf = float("inf"), float("inf"), b""
    for _ in range(repeat):
        started, clock = time.process_time(), time.perf_counter()
        pdf = _render(html)
        best = min(best, time.process_time() - started)
        wall = min(wall, time.perf_counter() - clock)
    WALL[id(html)] = wall
    return best, pdf


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def run(*, repeat: int = 3) -> tuple[list[Measurement], dict[str, Any]]:
    from django.template.loader import render_to_string

    from daye_relief.print_font import font_path

    form = render_to_string(TEMPLATE, _context(8))
    _render(form)  # loads WeasyPrint, Pango and the faces
    cjk_seconds, cjk_pdf = _timed(form, repeat)
    latin = _latin(form)
    latin_seconds, latin_pdf = _timed(latin, repeat)
    notice = render_to_string(TEMPLATE, _context(50))
    notice_seconds, notice_pdf = _timed(notice, repeat)
    stderr(
        f"print: one-page form {len(cjk_pdf) / 1024:.0f} KB in {cjk_seconds:.2f}s "
        f"(Latin {latin_seconds:.2f}s); "
        f"50-case notice {_pages(notice_pdf)} pages in {notice_seconds:.2f}s; print face "
        f"{'built' if font_path().is_file() else 'NOT built: full Noto Serif CJK SC'}"
    )
    found = [
        Measurement(
            "print: one-page A4 form (8 cases), size",
            len(cjk_pdf) / 1024,
            "KB",
            len(latin_pdf) / 1024,
            "same page in a Latin font",
            note="goal: at most 100 KB",
        ),
        Measurement(
            "print: one-page A4 form, render time",
            cjk_seconds,
            "s",
            latin_seconds,
            "same page in a Latin font",
            note="CPU time, best of runs; goal: at most 1.5x the Latin page",
        ),
        Measurement(
            "print: notice of 50 cases, render time",
            notice_seconds,
            "s",
            n=50,
            note=f"{_pages(notice_pdf)} A4 pages, {len(notice_pdf) / 1024:.0f} KB; goal: under 3 s",
        ),
    ]
    details = {
        "form_bytes": len(cjk_pdf),
        "form_pages": _pages(cjk_pdf),
        "latin_bytes": len(latin_pdf),
        "form_cpu_seconds": cjk_seconds,
        "latin_cpu_seconds": latin_seconds,
        "notice_50_cpu_seconds": notice_seconds,
        "form_wall_seconds": WALL[id(form)],
        "latin_wall_seconds": WALL[id(latin)],
        "notice_50_wall_seconds": WALL[id(notice)],
        "notice_50_pages": _pages(notice_pdf),
        "print_face_built": font_path().is_file(),
    }
    return found, details
