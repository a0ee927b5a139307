"""Request throttles: per client address (anonymous) and per account.

Rates come from ``LWNKB_API_RATE_ANON`` and ``LWNKB_API_RATE_USER`` through
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``. A throttled request gets 429 with
``Retry-After`` (DRF sets it from ``wait()``). Counters live in Django's default
cache, which is per process unless a shared cache is configured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _LiveRate:
    """Look the rate up per request.

    DRF copies the rates onto the throttle class when it is imported, so a changed
    setting (``override_settings`` in tests) would otherwise be ignored.
    """

    scope: str | None

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope or "")


class AnonThrottle(_LiveRate, AnonRateThrottle):
    """Anonymous requests, counted per client address."""


class UserThrottle(_LiveRate, UserRateThrottle):
    """Authenticated requests, counted per account."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        # Anonymous requests are AnonThrottle's; counting them twice would only cost.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
