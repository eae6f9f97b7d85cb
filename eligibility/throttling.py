"""The public self-check's rate limit: one counter per client shared by the page and the API, one rate
(settings.SELF_CHECK_RATE), one client rule (daye_relief.clients.client_address)."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from rest_framework.throttling import ScopedRateThrottle

from daye_relief.clients import client_address

SCOPE = "self_check"


class SelfCheckThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counting the real client rather than DRF's own reading of the headers."""

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def get_cache_key(self, request: Any, view: Any) -> str:
        """Per client address, logged in or not: the page and the API count alike."""
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _SelfCheckView:
    throttle_scope = SCOPE


def self_check_allowed(request: HttpRequest) -> bool:
    """Counts one self-check from this client (the page's POST) and says whether it is within the rate."""
    return SelfCheckThrottle().allow_request(request, _SelfCheckView())  # type: ignore[arg-type]


@receiver(setting_changed)
def _rate_changed(*, setting: str, value: Any, **kwargs: Any) -> None:
    """DRF reads its rate table once at import; keep the self-check rate in it equal to the setting."""
    if setting == "SELF_CHECK_RATE":
        ScopedRateThrottle.THROTTLE_RATES = {**ScopedRateThrottle.THROTTLE_RATES, SCOPE: value}
