"""Refuse oversized request bodies with 413 and a message that names the limit.

Django already refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, but only
when a view reads it, and then as a bare "400 Bad Request". This middleware
answers before anything reads the body, with 413 Content Too Large and the
limit in words (JSON under ``/api/``, plain text elsewhere). lwnkb takes no
file uploads, so the whole body counts against the limit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[[HttpRequest], HttpResponse]


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django's own parsing refuses a malformed length later


def too_large(request: HttpRequest, length: int | None = None) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{length:,} bytes" if length else "the request body"
    message = f"Request body too large: {size}; the limit is {limit:,} bytes."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message + "\n", status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = _declared_length(request)
        if limit is not None and length > limit:
            return too_large(request, length)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A body without a Content-Length (chunked) is only measured as a view reads it.
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        return None
