"""The public self-check's rate limit: one counter per client shared by the page and the API, one rate
(settings.SELF_CHECK_RATE), one client rule (daye_relief.clients.client_address)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from daye_relief.clients import client_address

SCOPE = "self_check"


class SelfCheckThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counting the real client rather than DRF's own reading of the headers."""

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def get_cache_key(self, request: Any, view: Any) -> str:
        """Per client address, logged in or not: the page and the API count alike."""
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_rate(self) -> str | None:
        """The setting as it is now (DRF's own rate table is read once, at import)."""
        return str(settings.SELF_CHECK_RATE)


class _SelfCheckView:
    throttle_scope = SCOPE


def self_check_allowed(request: HttpRequest) -> bool:
    """Counts one self-check from this client (the page's POST) and says whether it is within the rate."""
    return SelfCheckThrottle().allow_request(request, _SelfCheckView())  # type: ignore[arg-type]


class ClientCounter(SimpleRateThrottle):
    """A count per client address (the same rule as the self-check's) of something other than requests, e.g.
    the wrong tries of the progress query: `full()` says whether the client must wait, `hit()` counts one.
    The rate is "N/period" where the period may carry a count: "5/10m" is five in ten minutes."""

    def __init__(self, scope: str, rate: str) -> None:
        self.scope, self.rate = scope, rate
        self.num_requests, self.duration = self.parse_rate(rate)

    def parse_rate(self, rate: str | None) -> tuple[int, int]:
        assert rate is not None
        count, period = rate.split("/")
        match = re.fullmatch(r"(\d*)([smhd])\w*", period)
        if match is None:
            raise ValueError(f"bad rate {rate!r}")
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]
        return int(count), int(match[1] or 1) * unit

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def _history(self, request: HttpRequest) -> tuple[str, list[float], float]:
        key = self.get_cache_key(request, None)
        now = self.timer()
        history = [moment for moment in self.cache.get(key, []) if moment > now - self.duration]
        return key, history, now

    def full(self, request: HttpRequest) -> bool:
        return len(self._history(request)[1]) >= self.num_requests

    def hit(self, request: HttpRequest) -> None:
        key, history, now = self._history(request)
        self.cache.set(key, [now, *history], self.duration)
