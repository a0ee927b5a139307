"""Answer malformed requests with 400 and a message before any view reads them.

Two kinds of input no page or API view can use, refused in one place:

* a query string or path holding a NUL byte (PostgreSQL refuses NUL in text, so it
  would surface as a 500 wherever the value reaches a query), or a query string
  whose percent-encoding is not UTF-8 (Django would silently replace the bytes);
* a JSON body nested deeper than Python's parser recurses (``[[[[…``): the
  parser raises RecursionError, which DRF does not turn into a 400.

Messages are JSON under ``/api/``, plain text elsewhere, as for 413s.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from lwnkb.request_limits import too_large

Handler = Callable[[HttpRequest], HttpResponse]
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


def bad_request_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a view's ``BadRequest`` message reaches the caller; others stay generic.

    Other 400s (SuspiciousOperation, DisallowedHost…) can quote internals, so they do not.
    """
    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else ""
    return bad_request(request, message or "Bad request.")


def query_string_problem(raw: str) -> str | None:
    """What is wrong with a raw (still percent-encoded) query string, or None."""
    decoded = unquote_to_bytes(raw.replace("+", " "))
    if b"\x00" in decoded:
        return "The query string holds a NUL byte (%00)."
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return "The query string is not valid UTF-8 once percent-decoded."
    return None


def json_problem(request: HttpRequest) -> str | None:
    """A message when the request's JSON body nests too deeply to parse, else None.

    Other JSON errors are left to the view, which names them.
    """
    if request.method not in _BODY_METHODS or "json" not in (request.content_type or ""):
        return None
    try:
        json.loads(request.body)
    except RecursionError:
        return "JSON body nested too deeply."
    except ValueError:
        return None
    return None


class BadInputMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = query_string_problem(request.META.get("QUERY_STRING", ""))
        if problem is None and "\x00" in request.path:
            problem = "The path holds a NUL byte (%00)."
        if problem is None:
            try:
                problem = json_problem(request)
            except RequestDataTooBig:  # a chunked body over the limit
                return too_large(request)
        if problem is not None:
            return bad_request(request, problem)
        return self.get_response(request)
