"""Security middleware: response headers and a rate limit on logins.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and (in production) HSTS; this adds a Content Security
Policy without inline scripts and a Permissions-Policy, and slows down password
guessing on the login forms.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

Handler = Callable[[HttpRequest], HttpResponse]
logger = logging.getLogger("lwnkb.security")

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """CSP and Permissions-Policy on every answer; first in MIDDLEWARE, so on /static/ too."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_address(request: HttpRequest) -> str:
    """The client's address; behind the documented TLS proxy, its X-Forwarded-For."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()  # the address our proxy saw
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def is_login_view(request: HttpRequest) -> bool:
    """Whether the request goes to one of ``LOGIN_RATE_LIMIT_VIEWS`` (``admin:login``).

    Matched by view name on the path without the script prefix, so the limit holds
    when the site is served under a sub-path or the admin is mounted elsewhere.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in settings.LOGIN_RATE_LIMIT_VIEWS


def limits_unshared_under_gunicorn() -> bool:
    """Whether this is a gunicorn worker counting limits alone, unchecked by lwnkb's config.

    ``lwnkb.gunicorn_conf`` refuses several workers on a per-process cache; a gunicorn
    started without it (``gunicorn lwnkb.wsgi --workers 3``) may have several, each
    with its own login and throttle counters.
    """
    return (
        "gunicorn" in sys.modules
        and "lwnkb.gunicorn_conf" not in sys.modules
        and settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    )


class LoginRateLimitMiddleware:
    """At most ``LOGIN_RATE_LIMIT`` login POSTs per address per ``LOGIN_RATE_WINDOW`` s."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        if limits_unshared_under_gunicorn():
            logger.warning(
                "gunicorn without lwnkb.gunicorn_conf on a per-process cache "
                "(LWNKB_CACHE_URL=locmem://): with several workers, every login limit and "
                "throttle multiplies by their number. Start gunicorn with "
                "-c python:lwnkb.gunicorn_conf and set LWNKB_CACHE_URL to Redis."
            )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and is_login_view(request):
            window = settings.LOGIN_RATE_WINDOW
            key = f"lwnkb:login:{client_address(request)}"
            cache.add(key, 0, timeout=window)
            try:
                attempts = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
                attempts = 1
            if attempts > settings.LOGIN_RATE_LIMIT:
                response = HttpResponse(
                    "Too many login attempts from your address; try again later.\n",
                    status=429,
                    content_type="text/plain",
                )
                response["Retry-After"] = str(window)
                return response
        return self.get_response(request)
