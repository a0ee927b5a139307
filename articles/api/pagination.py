"""One pagination for every API list: keyset cursors, a total count, ``Link`` headers.

A cursor holds the sort values of the row it follows, primary key last, so a
page is one indexed range query however deep a client pages, no row is seen
twice or skipped while new editions arrive, and ties on the sort key (many
articles share a date) are broken by the primary key rather than by an offset.

The ``count`` is the price: a walk's first page runs one ``SELECT COUNT(*)`` over
the whole filtered set, linear in the set (380 ms over 873,190 comments at full
size). The cursors it hands out carry that count (``c``), so later pages of the
walk do not count again: ``count`` is what matched when the walk began.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from collections.abc import Sequence
from typing import Any, cast
from urllib import parse

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

# The one ``page_size`` maximum of the API (lists, search, entity mentions). The search
# engines answer at most ``articles.search.MAX_PAGE_SIZE`` hits a page; keep this no larger.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
PAGE_SIZE_MESSAGE = f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."
BAD_CURSOR_MESSAGE = (
    "Not a cursor this list gave: start again from the first page and follow `next`."
)
PAGE_ON_CURSOR_LIST = "This list pages with `cursor`; follow `next`."


def link_header(next_url: str | None, previous_url: str | None) -> str | None:
    """``<…>; rel="next", <…>; rel="prev"`` (RFC 8288), or None when there is neither."""
    pairs = ((next_url, "next"), (previous_url, "prev"))
    links = [f'<{url}>; rel="{rel}"' for url, rel in pairs if url]
    return ", ".join(links) or None


def paginated_response(body: dict[str, Any]) -> Response:
    """``body`` (with ``next`` and ``previous``) and the matching ``Link`` header."""
    response = Response(body)
    link = link_header(body.get("next"), body.get("previous"))
    if link:
        response["Link"] = link
    return response


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


def _order_by(term: str) -> OrderBy:
    # NULL counts as the largest value whatever the database's habit (PostgreSQL sorts
    # it last ascending, SQLite first), so the keyset filter below can rely on it.
    if term.startswith("-"):
        return F(term[1:]).desc(nulls_first=True)
    return F(term).asc(nulls_last=True)


def _after(terms: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after the row whose sort values are ``values``, in ``terms`` order."""
    after = Q(pk__in=[])
    equal = Q()
    for term, value in zip(terms, values, strict=True):
        name = term.lstrip("-")
        if term.startswith("-"):
            beyond = (
                Q(**{f"{name}__isnull": False}) if value is None else Q(**{f"{name}__lt": value})
            )
        else:
            beyond = (
                Q(pk__in=[])
                if value is None
                else Q(**{f"{name}__gt": value}) | Q(**{f"{name}__isnull": True})
            )
        after |= equal & beyond
        equal &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return after


def _leading_bound(queryset: QuerySet[Any], terms: Sequence[str], values: Sequence[Any]) -> Q:
    """The range ``_after`` implies on the first sort column, written as a plain bound.

    ``_after`` is an OR the database cannot walk an index with, so without this a
    deep page scans every row before its cursor. Only for a NOT NULL column (NULL
    sorts last, outside any bound), or an annotation that cannot be NULL (a Coalesce
    ending in a value, such as the article list's ``sort_date``: its expression index
    is walked from the cursor on, so the last page costs what the first does).
    """
    name, value = terms[0].lstrip("-"), values[0]
    bound = Q(**{f"{name}__lte" if terms[0].startswith("-") else f"{name}__gte": value})
    if value is None:
        return Q()
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return bound if _never_null(annotation) else Q()
    meta = queryset.model._meta
    try:
        field = meta.pk if name == "pk" else meta.get_field(name)
    except FieldDoesNotExist:
        return Q()
    if getattr(field, "null", True) or getattr(field, "many_to_many", False):
        return Q()
    return bound


def _never_null(expression: Any) -> bool:
    if not isinstance(expression, Coalesce):
        return False
    last = expression.get_source_expressions()[-1]
    return isinstance(last, Value) and last.value is not None


def _flip(term: str) -> str:
    return term[1:] if term.startswith("-") else f"-{term}"


class CountedCursorPagination(StrictPageSize, CursorPagination):
    """``{"count", "next", "previous", "results"}`` plus ``Link: <…>; rel="next"``.

    The ordering comes from the view's ``MappedOrderingFilter`` (or ``sort``
    here); the primary key is appended when missing, so every position is unique.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # For a view without an ordering filter: plain column names, ``-`` for descending.
    sort: tuple[str, ...] = ("-pk",)
    invalid_cursor_message = BAD_CURSOR_MESSAGE
    count: int = 0
    carried: int | None = None
    terms: tuple[str, ...] = ()
    url: str = ""

    def _terms(
        self, request: Request, queryset: QuerySet[Any], view: APIView | None
    ) -> tuple[str, ...]:
        backends = getattr(view, "filter_backends", None) or []
        chosen = next((b for b in backends if hasattr(b, "get_ordering")), None)
        terms = tuple(chosen().get_ordering(request, queryset, view)) if chosen else ()
        terms = terms or self.sort
        if not {"pk", "-pk"} & set(terms):
            terms = (*terms, "-pk" if terms[0].startswith("-") else "pk")
        return terms

    def decode_cursor(self, request: Request) -> Cursor | None:
        """DRF's tokens (``o``, ``r``, ``p``) and the carried count (``c``), decoded once."""
        self.carried = None
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(
                b64decode(encoded.encode("ascii")).decode("ascii"), keep_blank_values=True
            )
            # Our cursors carry no offset; one that does is checked as DRF checks it.
            offset = int(tokens.get("o", ["0"])[0])
            if offset < 0:
                raise ValueError(offset)
            offset = min(offset, self.offset_cutoff)
            reverse = bool(int(tokens.get("r", ["0"])[0]))
        except (TypeError, ValueError):  # base64 and UTF-8 errors are ValueErrors too
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR_MESSAGE]}) from None
        self.carried = self._carried_count(tokens.get("c", [None])[0])
        # DRF types a position as an int; ours is the JSON list of a row's sort values.
        position = cast(Any, tokens.get("p", [None])[0])
        return Cursor(offset=offset, reverse=reverse, position=position)

    def _carried_count(self, value: str | None) -> int | None:
        """The count the walk's first page took, carried in the cursor (``c``)."""
        if value is None:
            return None  # a cursor from before counts were carried: count again
        if not value.isdigit() or len(value) > 15:
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR_MESSAGE]})
        return int(value)

    def encode_cursor(self, cursor: Cursor) -> str:
        # DRF's tokens (its decode_cursor reads them; our cursors never use an offset)
        # plus the count, so later pages of a walk do not count again.
        tokens = {"r": "1"} if cursor.reverse else {}
        if cursor.position is not None:
            tokens["p"] = str(cursor.position)
        tokens["c"] = str(self.count)
        encoded = b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url or "", self.cursor_query_param, encoded)

    def _position(self, instance: Any) -> str:
        values = [
            instance[name] if isinstance(instance, dict) else getattr(instance, name)
            for name in (term.lstrip("-") for term in self.terms)
        ]
        return json.dumps([None if v is None else str(v) for v in values])

    def _position_values(self, position: str) -> list[Any]:
        try:
            values = json.loads(position)
        except ValueError:
            values = None
        if not isinstance(values, list) or len(values) != len(self.terms):
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR_MESSAGE]})
        if not all(v is None or isinstance(v, str) for v in values):
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR_MESSAGE]})
        return values

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        if "page" in request.query_params:
            # A loop written for page numbers would otherwise get page 1 forever.
            raise ValidationError({"page": [PAGE_ON_CURSOR_LIST]})
        self.request = request
        self.page_size = self.get_page_size(request) or DEFAULT_PAGE_SIZE
        self.base_url = self.url = request.build_absolute_uri()
        self.terms = self._terms(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        # Counted once per walk, on its first page, then carried by the cursors: over
        # 900,000 comments a count is most of a page's time. So ``count`` is what
        # matched when the walk began.
        self.count = queryset.count() if self.carried is None else self.carried
        reverse = bool(self.cursor and self.cursor.reverse)
        terms = [_flip(t) for t in self.terms] if reverse else list(self.terms)
        rows = queryset.order_by(*(_order_by(t) for t in terms))
        position = cast(str | None, self.cursor and self.cursor.position)
        try:
            if position is not None:
                values = self._position_values(position)
                rows = rows.filter(_after(terms, values), _leading_bound(queryset, terms, values))
            found = list(rows[: self.page_size + 1])
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            # A hand-made position that does not fit its column ("yesterday" for a date).
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR_MESSAGE]}) from None
        more = len(found) > self.page_size
        self.page = found[: self.page_size]
        came_from_cursor = position is not None
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = came_from_cursor, more
        else:
            self.has_next, self.has_previous = more, came_from_cursor
        return self.page

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if not self.page:  # nothing before the cursor any more: start again
            return remove_query_param(self.url, self.cursor_query_param)
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.url, self.cursor_query_param)
        return self._link(self.page[0], reverse=True)

    def _link(self, row: Any, *, reverse: bool) -> str:
        # DRF types a position as an int; ours is the JSON list of the row's sort values.
        position = cast(Any, self._position(row))
        return self.encode_cursor(Cursor(offset=0, reverse=reverse, position=position))

    def get_paginated_response(self, data: Any) -> Response:
        return paginated_response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]
        paginated["properties"] = {
            "count": {
                "type": "integer",
                "example": 123,
                "description": "How many rows matched the filters, over all pages, when "
                "the walk began: counted on the first page and carried by the cursors",
            },
            **paginated["properties"],
        }
        return paginated
