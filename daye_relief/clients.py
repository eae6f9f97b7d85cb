"""Who is asking: the one rule for the client address that rate limits count."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the
    outermost of them received the request from.

    Each proxy appends the address it saw to X-Forwarded-For, so only the last TRUSTED_PROXY_COUNT
    entries were written by our own proxies; anything left of them is whatever the client sent and is
    never trusted. A malformed entry falls back to REMOTE_ADDR.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count: int = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
