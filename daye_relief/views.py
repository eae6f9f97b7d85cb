"""The project's error pages: Chinese, with the reason only where one was written for the reader."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static


def _reason(exception: Exception | None) -> str:
    """A message written in Chinese for the reader (e.g. "没有找到该家庭，或您无权查看。"); Django's own
    English messages ("No Member matches the given query.", "Resolver404") are not shown."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if isinstance(message, str) and any("\u4e00" <= ch <= "\u9fff" for ch in message):
        return message
    return ""


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"reason": _reason(exception)}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": _reason(exception)}, status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and bookmarks ask for /favicon.ico whatever the page links: send them to the icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
