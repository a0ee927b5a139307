"""One error shape for the API: ``{"detail": "…", "code": "…", "errors": {param: ["…"]}}``.

DRF's exceptions reach :func:`api_exception_handler`, which gives them this shape;
answers Django makes outside DRF (unmatched routes, server errors) get it from
``lwnkb.api_errors.ApiErrorMiddleware``. ``code`` is a stable machine string;
``errors`` appears only when named parameters or fields are at fault.
:class:`ErrorSchema` documents the error answers each operation can give.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

# Django's get_object_or_404 message names the model class ("No KernelRelease matches…").
_MODEL_NOT_FOUND = re.compile(r"^No \w+ matches the given query\.?$")


class ServiceUnavailable(exceptions.APIException):
    """503 with ``Retry-After``: something the answer needs (index, broker) is down."""

    status_code = 503
    default_detail = "The service is unavailable; try again later."
    default_code = "unavailable"

    def __init__(self, detail: str | None = None, *, retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def error_body(
    detail: str, code: str, errors: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """The body of every API error; ``errors`` only when fields are at fault."""
    body: dict[str, Any] = {"detail": detail, "code": code}
    if errors:
        body["errors"] = {name: [str(m) for m in messages] for name, messages in errors.items()}
    return body


def not_found_message(model: type[Model], field: str, value: object) -> str:
    """The not-found message in the product's words: "No article with LWN id 5."."""
    noun = str(model._meta.verbose_name)
    try:
        label = str(getattr(model._meta.get_field(field), "verbose_name", field))
    except FieldDoesNotExist:  # a lookup through a relation or an annotation: name it as given
        label = field.replace("_", " ")
    if field in ("pk", "id"):
        label = "id"
    return f"No {noun} with {label} {value}."


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Field errors as ``{"name": [...]}``; nested serializers as ``"parent.child"``."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list) and any(isinstance(v, (Mapping, list)) for v in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix: [str(m) for m in messages]} if messages else {}


def validation_body(detail: Any) -> dict[str, Any]:
    """A ValidationError's detail as the error shape: the first problem leads."""
    if not isinstance(detail, Mapping):
        messages = [str(m) for m in (detail if isinstance(detail, list) else [detail])]
        return error_body(" ".join(messages) or "Invalid input.", "invalid")
    flat = _flatten(detail)
    general = flat.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
    if general:
        summary = " ".join(general)
    elif flat:
        name, messages = next(iter(flat.items()))
        summary = f"{name}: {messages[0]}"
        if len(flat) > 1:
            summary += f" (and {len(flat) - 1} more: see errors)"
    else:
        summary = "Invalid input."
    return error_body(summary, "invalid", flat)


def _code_of(exc: exceptions.APIException) -> str:
    # A raise site may give its own code (PermissionDenied(code="locked")); else the class's.
    detail = exc.detail
    code = getattr(detail, "code", None)
    return str(code) if isinstance(code, str) and code else str(exc.default_code)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, then the one shape; None (a 500) for anything unexpected."""
    if isinstance(exc, Http404):
        message = str(exc.args[0]) if exc.args else ""
        if not message or _MODEL_NOT_FOUND.match(message):
            message = "Nothing here: see /api/v1/ for the resources."
        exc = exceptions.NotFound(message)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
    else:
        response.data = error_body(str(exc.detail), _code_of(exc))
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = str(exc.retry_after)
    return response


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    """The body of every 4xx and 5xx under ``/api/``."""

    detail = serializers.CharField(help_text="What went wrong, for people.")
    code = serializers.CharField(
        help_text="Stable, for programs: invalid, not_found, throttled, permission_denied, "
        "not_authenticated, authentication_failed, method_not_allowed, parse_error, "
        "unsupported_media_type, not_acceptable, bad_request, request_too_large, "
        "conflict, server_error, unavailable."
    )
    # Also a Serializer property in the stubs; DRF's metaclass takes declared fields out.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per parameter or field: its messages. Only when fields are at fault.",
    )


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


class ErrorSchema(AutoSchema):
    """Adds the error answers an operation can give to those it declares.

    400 where parameters or a body are read, 401/403 where permissions are checked,
    404 where the path names an object, 429 where throttles apply. An operation's
    own ``extend_schema(responses=...)`` entries win.
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in self._error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    error_response(description), str(code), direction=direction
                )
        return responses

    def _error_codes(self) -> list[tuple[int, str]]:
        codes: list[tuple[int, str]] = []
        if self.method in ("POST", "PUT", "PATCH") or self._is_list_view():
            codes.append((400, "A parameter or field is malformed; `errors` names it."))
        permissions = self.view.get_permissions()
        if any(not isinstance(p, AllowAny) for p in permissions):
            codes.append((401, "Not authenticated."))
            codes.append((403, "Not allowed."))
        if "{" in self.path:
            codes.append((404, "No such object."))
        if self.view.get_throttles():
            codes.append((429, "Throttled; `Retry-After` says when to retry."))
        return codes
