"""Collects the journal rows a request notes and writes them once, after the response (journal.services)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import begin, flush


class JournalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        begin(request)
        try:
            return self.get_response(request)
        finally:
            flush(request)
