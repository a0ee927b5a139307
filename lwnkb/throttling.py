"""Request throttles, keyed on the same client address as the login limit.

The API, the search page and the search feed run the same search, so they share
one allowance: ``LWNKB_API_RATE_ANON`` per client address for anonymous readers,
``LWNKB_API_RATE_USER`` per account for signed-in ones. The address is
:func:`lwnkb.security.client_address`, which trusts ``X-Forwarded-For`` only
behind the documented TLS proxy; a client cannot pick a fresh address per request.

Counters live in Django's default cache. A per-process cache (``locmem://``) would
give every worker its own allowance, which is why several gunicorn workers refuse
to start on one (see ``lwnkb.gunicorn_conf``).

Every throttled answer (the API's, the search page's and feed's, 429s included)
says where the caller stands, in the IETF draft's headers: ``RateLimit-Limit``
(requests per window), ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds
until the oldest counted request leaves the window). The throttles note their
state on the request; :class:`RateLimitHeadersMiddleware` writes it out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, UserRateThrottle

from lwnkb.security import client_address

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


@dataclass(frozen=True)
class RateLimitState:
    """Where a caller stands with one throttle after this request was counted (or refused)."""

    limit: int
    remaining: int
    reset: int  # seconds

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


STATE_ATTRIBUTE = "_lwnkb_rate_limit"


def _django_request(request: Request | HttpRequest) -> HttpRequest:
    return getattr(request, "_request", request)


def rate_limit_state(request: HttpRequest) -> RateLimitState | None:
    """The tightest throttle state noted on ``request``, if a throttle counted it."""
    return getattr(request, STATE_ATTRIBUTE, None)


class _NotesState:
    """Note the throttle's state on the request after ``allow_request``.

    With several throttles on a request the one with the fewest requests left is
    the one a client must pace itself by.
    """

    # SimpleRateThrottle's attributes, set by its allow_request.
    history: list[float]
    num_requests: int
    duration: int
    now: float

    def allow_request(self, request: Request, view: APIView | None) -> bool:
        allowed: bool = super().allow_request(request, view)  # type: ignore[misc]
        if getattr(self, "key", None) is None or not hasattr(self, "history"):
            return allowed  # no rate, or not this throttle's kind of caller
        history = self.history
        oldest = history[-1] if history else self.now
        state = RateLimitState(
            limit=self.num_requests,
            remaining=max(0, self.num_requests - len(history)),
            reset=max(0, math.ceil(self.duration - (self.now - oldest))),
        )
        target = _django_request(request)
        noted = rate_limit_state(target)
        if noted is None or state.remaining < noted.remaining:
            setattr(target, STATE_ATTRIBUTE, state)
        return allowed


class RateLimitHeadersMiddleware:
    """Copy the throttle state a view's request collected into its answer's headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        state = rate_limit_state(request)
        if state is not None:
            for name, value in state.headers().items():
                response.setdefault(name, value)
        return response


class _ClientAddress:
    """Identify a client by :func:`client_address`, not DRF's ``NUM_PROXIES`` rule.

    With ``NUM_PROXIES`` unset DRF would trust whatever ``X-Forwarded-For`` a client
    sends, so varying that header would buy a fresh allowance per request.
    """

    def get_ident(self, request: Request | HttpRequest) -> str:
        return client_address(getattr(request, "_request", request))


class AnonThrottle(_NotesState, _LiveRate, _ClientAddress, AnonRateThrottle):
    """Anonymous requests, counted per client address."""


class UserThrottle(_NotesState, _LiveRate, _ClientAddress, UserRateThrottle):
    """Authenticated requests, counted per account."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        # Anonymous requests are AnonThrottle's; counting them twice would only cost.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


def page_throttled(request: HttpRequest) -> HttpResponse | None:
    """429 with Retry-After when ``request`` is over its allowance, else None (and counted).

    For pages outside DRF that run the API's expensive work (the search page and
    feed): they draw on the same counters as the API, so spreading requests over
    the three gains nothing.
    """
    throttles: list[BaseThrottle] = [AnonThrottle(), UserThrottle()]
    # DRF's throttles read only request.user and request.META, which a page has too.
    waits = [
        throttle.wait() or 0.0
        for throttle in throttles
        if not throttle.allow_request(request, None)  # type: ignore[arg-type]
    ]
    if not waits:
        return None
    seconds = max(1, math.ceil(max(waits)))
    response = HttpResponse(
        f"Too many requests from your address; try again in {seconds} seconds.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    if (state := rate_limit_state(request)) is not None:
        for name, value in state.headers().items():
            response[name] = value
    return response
