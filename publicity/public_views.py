"""Public pages under /public/: no login, light, cacheable, never indexed, never a private detail."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from accounts.models import OrgUnit

from . import printing, selectors

# A minute: light on the server, and a case that leaves a notice (an objection) or a closed notice
# leaves the internet within that minute.
PUBLIC_MAX_AGE = 60
PUBLIC_LIST_PAGE = 100  # households per page of a village's long-term list (the PDF prints them all)


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cacheable by browsers and proxies for a minute; search engines told not to index names."""

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
    found = selectors.public_notice(pk)
    if found is None:
        village = selectors.closed_notice_village(pk)
        if village is None:
            raise Http404("没有找到该公示。")
        # A closed notice leaves the public pages: the village's long-term list takes over.
        return render(request, "publicity/public_closed.html", {"village": village}, status=410)
    notice, items = found
    return render(
        request,
        "publicity/public_notice.html",
        {"notice": notice, "items": items, "application_type": selectors.APPLICATION_TYPE},
    )


@public
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found, items = _notice_or_404(pk)
    return printing.pdf_response(
        request,
        "publicity/print_notice.html",
        {
            "notice": found,
            "items": items,
            "committee": selectors.committee_name(found.village),
            "application_type": selectors.APPLICATION_TYPE,
        },
        public_path=f"/public/notices/{found.pk}/",
        filename=f"notice-{found.pk}",
    )


def _village(code: str) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.select_related("parent"), code=code, kind="village")


@public
def village_list(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(code)
    # The long-term list is built in a fixed number of queries for the whole village; the page only cuts it.
    page = selectors.long_term_page(
        village=village, number=request.GET.get("page"), per_page=PUBLIC_LIST_PAGE
    )
    return render(
        request,
        "publicity/public_list.html",
        {
            "village": village,
            "page": page,
            "rows": page.object_list,
            "today": timezone.localdate(),
        },
    )


@public
def village_list_pdf(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(code)
    return printing.pdf_response(
        request,
        "publicity/print_list.html",
        {
            "village": village,
            "rows": selectors.long_term_list(village=village),
            "committee": selectors.committee_name(village),
        },
        public_path=f"/public/villages/{village.code}/",
        filename=f"list-{village.code}",
    )
