"""JSON errors under ``/api/`` for what Django answers outside DRF, debug on or off.

DRF views shape their own errors (``articles.api.errors``). Unmatched routes,
server errors, and the 400/413 of the input guards are Django's: here they get
the same ``{"detail", "code"}`` body, so a tool never has to parse an HTML page;
a JSON answer with a ``detail`` but no ``code`` (a view's own 503) gets its code.
Pages outside ``/api/`` keep their HTML (or text) answers.

A POST without the trailing slash is answered here too: Django's ``APPEND_SLASH``
would raise in debug and, in production, answer a 301 that the client follows
with a GET, dropping the body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import get_urlconf, is_valid_path
from rest_framework.response import Response

Handler = Callable[[HttpRequest], HttpResponse]
API_PREFIX = "/api/"
# Stable codes for statuses Django answers itself; DRF's exceptions bring their own.
CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    503: "unavailable",
}
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def error_code(status: int) -> str:
    return CODES.get(status, "server_error" if status >= 500 else "bad_request")


def error_message(request: HttpRequest, status: int) -> str:
    if status == 404:
        return f"No route {request.path}: see /api/v1/ for the resources."
    if status >= 500:
        return "Server error: it has been logged."
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "Error."


class ApiErrorMiddleware:
    """Gives Django's own error answers under ``/api/`` the API's JSON error shape."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        slashed = self._slash_missing(request)
        if slashed is not None:
            detail = f"No route {request.method} {request.path}: the URL is {slashed}"
            return JsonResponse({"detail": detail, "code": "not_found"}, status=404)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.streaming:
            self._reshape(request, response)
        return response

    def _slash_missing(self, request: HttpRequest) -> str | None:
        """The right path when a write lacks only its trailing slash, else None."""
        path = request.path_info
        if request.method in _SAFE_METHODS or path.endswith("/"):
            return None
        urlconf = getattr(request, "urlconf", None) or get_urlconf()
        if is_valid_path(path, urlconf) or not is_valid_path(f"{path}/", urlconf):
            return None
        return f"{request.path}/"

    def _reshape(self, request: HttpRequest, response: HttpResponse) -> None:
        status = response.status_code
        body: object = None
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            if "code" in body:
                return
            body["code"] = error_code(status)
        elif isinstance(response, Response):
            # A view's own answer (DRF's exceptions are shaped by articles.api.errors):
            # JSON it chose, or the browsable API's HTML; not ours to replace.
            return
        else:
            body = {"detail": error_message(request, status), "code": error_code(status)}
        response.content = json.dumps(body).encode()
        response["Content-Type"] = "application/json"
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
