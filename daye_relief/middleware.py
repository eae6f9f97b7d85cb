"""Project-wide response headers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreForPersonalData:
    """Nothing a signed-in user sees, and no API answer, is kept by a browser or a proxy cache
    (`Cache-Control: no-store`): a shared office computer's back button or a proxy must not show one
    clerk's households to the next person. Public pages for anonymous visitors may still be cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
