"""Cursor pagination with a total count and an RFC 8288 ``Link`` header.

Cursors stay stable while new editions arrive (no page drifts by an inserted
row) and cost one indexed range query however deep a client pages.

The ``count`` is the price: every page runs one ``SELECT COUNT(*)`` over the
whole filtered set. On PostgreSQL that is a scan of the matching index or
table, cheap at archive sizes (tens of thousands of articles, a few hundred
thousand comments) but linear in the set; tools that page through everything
can ignore it, and it is the one query to drop if it ever shows in profiles.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class StrictPageSize:
    """``page_size`` beyond ``max_page_size`` (or not a number) answers 400 saying so.

    DRF's own paginators silently clamp or ignore it, so a client asking for
    10,000 rows gets 200 and cannot tell why it has fewer.
    """

    page_size: int | None
    page_size_query_param: str | None
    max_page_size: int | None

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param or "", "")
        if not raw or self.max_page_size is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"Must be a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter.get("name") == self.page_size_query_param:
                parameter["schema"] = {
                    **parameter.get("schema", {}),
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


class CountedCursorPagination(StrictPageSize, CursorPagination):
    """``{"count", "next", "previous", "results"}`` plus ``Link: <…>; rel="next"``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # Views order through ``articles.api.filters.MappedOrderingFilter``; this is the
    # fallback for a view without one.
    ordering = "-pk"
    count: int = 0

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        self.count = queryset.count()
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            # A hand-made cursor whose position does not fit the ordering column
            # ("p=yesterday" for a date) is as invalid as an undecodable one.
            raise NotFound(self.invalid_cursor_message) from None

    def get_paginated_response(self, data: Any) -> Response:
        next_url, previous_url = self.get_next_link(), self.get_previous_link()
        response = Response(
            {"count": self.count, "next": next_url, "previous": previous_url, "results": data}
        )
        pairs = ((next_url, "next"), (previous_url, "prev"))
        links = [f'<{url}>; rel="{rel}"' for url, rel in pairs if url]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]
        paginated["properties"] = {
            "count": {
                "type": "integer",
                "example": 123,
                "description": "How many rows match the filters, over all pages",
            },
            **paginated["properties"],
        }
        return paginated
