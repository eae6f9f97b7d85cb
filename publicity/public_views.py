"""Public pages under /public/: no login, light, cacheable, never indexed, never a private detail."""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any

import qrcode
import qrcode.image.svg
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from accounts.models import OrgUnit
from daye_relief.pdf import render_pdf

from . import selectors

PUBLIC_MAX_AGE = 300


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cacheable by browsers and proxies for five minutes; search engines told not to index names."""

    @wraps(view)
    @cache_control(public=True, max_age=PUBLIC_MAX_AGE)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        return response

    return wrapped


def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        "User-agent: *\nDisallow: /public/\nDisallow: /self-check/\n", content_type="text/plain"
    )


@public
def index(request: HttpRequest) -> HttpResponse:
    notices = list(selectors.posted_notices())
    villages = list(selectors.public_villages())
    return render(request, "publicity/public_index.html", {"notices": notices, "villages": villages})


def _notice_or_404(pk: int) -> tuple[Any, list[selectors.PublicItem]]:
    found = selectors.public_notice(pk)
    if found is None:
        raise Http404("没有找到该公示。")
    return found


@public
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    found, items = _notice_or_404(pk)
    return render(request, "publicity/public_notice.html", {"notice": found, "items": items})


def _qr_data_uri(url: str) -> str:
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _paper(request: HttpRequest) -> str:
    return "A3" if request.GET.get("paper", "").upper() == "A3" else "A4"


@public
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found, items = _notice_or_404(pk)
    url = request.build_absolute_uri(f"/public/notices/{found.pk}/")
    pdf = render_pdf(
        "publicity/print_notice.html",
        {
            "notice": found,
            "items": items,
            "paper": _paper(request),
            "qr": _qr_data_uri(url),
            "url": url,
            "printed_on": timezone.localdate(),
        },
    )
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="notice-{found.pk}.pdf"'},
    )


def _village(code: str) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.select_related("parent"), code=code, kind="village")


@public
def village_list(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(code)
    return render(
        request,
        "publicity/public_list.html",
        {
            "village": village,
            "rows": selectors.long_term_list(village=village),
            "today": timezone.localdate(),
        },
    )


@public
def village_list_pdf(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(code)
    url = request.build_absolute_uri(f"/public/villages/{village.code}/")
    pdf = render_pdf(
        "publicity/print_list.html",
        {
            "village": village,
            "rows": selectors.long_term_list(village=village),
            "paper": _paper(request),
            "qr": _qr_data_uri(url),
            "url": url,
            "printed_on": timezone.localdate(),
        },
    )
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="list-{village.code}.pdf"'},
    )
