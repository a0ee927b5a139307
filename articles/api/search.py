"""``/api/v1/search/``: full-text search over articles, merge-window items, devices, comments.

The same parameters drive the ``/search/`` page. Invalid parameters or query
syntax answer 400 with a ``detail`` message; an index that is missing,
outdated or damaged answers 503 until ``manage.py lwn_reindex`` has run.

The engines page by number, so ``next``/``previous`` carry an opaque, signed
cursor holding a page number and a fingerprint of the other parameters: a
cursor is refused with any other query. ``page`` stays for the ``/search/`` page.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core import signing
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from articles import search
from articles.api.errors import ServiceUnavailable, error_response
from articles.api.links import Links, links_for
from articles.api.pagination import (
    BAD_CURSOR_MESSAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE_MESSAGE,
    paginated_response,
)

SYNTAX = "\n".join(f"- `{example}`: {meaning}" for example, meaning in search.SYNTAX_HELP)
DESCRIPTION = f"""Search the archive; relevance order by default, or newest first.

Query syntax (`q`):

{SYNTAX}

Words that look like kernel identifiers (`faccessat2()`, `CAP_PERFMON`, `memory.swap.high`)
match those identifiers exactly and case-insensitively; other words are matched with English
stemming. Subscriber-only articles are found by title only (their snippet says when they
become free) for callers without the subscriber permission, and comments under them are
left out. `snippet` is HTML: escaped text with `<mark>` around matched words.
"""


_PAGE_SIZE_ERRORS = ("invalid", "min_value", "max_value", "max_string_length")


class SearchParamsSerializer(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=search.MAX_QUERY_LENGTH,
        trim_whitespace=True,
        help_text="The query, in the syntax described above.",
    )
    type = serializers.ChoiceField(choices=search.DOCUMENT_TYPES, required=False)
    release = serializers.RegexField(
        r"^\d+\.\d+(?:\.\d+)?$",
        required=False,
        help_text="Exact kernel release, e.g. 5.8.",
        error_messages={"invalid": "Not a kernel version such as 6.14 or 5.8.3."},
    )
    section = serializers.CharField(required=False, max_length=200)
    author = serializers.CharField(required=False, max_length=200)
    after = serializers.DateField(required=False, help_text="On or after this date.")
    before = serializers.DateField(required=False, help_text="On or before this date.")
    sort = serializers.ChoiceField(choices=search.SORTS, default="relevance")
    page = serializers.IntegerField(
        min_value=1, required=False, help_text="Page number (the /search/ page's way); or `cursor`."
    )
    cursor = serializers.CharField(
        required=False, help_text="Opaque: copy it from `next` or `previous` with the same query."
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=search.DEFAULT_PAGE_SIZE,
        error_messages=dict.fromkeys(_PAGE_SIZE_ERRORS, PAGE_SIZE_MESSAGE),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        filters = ("type", "release", "section", "author", "after", "before")
        if not attrs.get("q") and not any(attrs.get(name) for name in filters):
            raise serializers.ValidationError({"q": "Give a query, a filter, or both."})
        cursor = attrs.pop("cursor", None)
        if cursor is not None and "page" in attrs:
            raise serializers.ValidationError({"page": "Give `page` or `cursor`, not both."})
        attrs["page"] = attrs.get("page", 1) if cursor is None else cursor_page(cursor, attrs)
        return attrs


_CURSOR_SALT = "lwnkb.api.search.cursor"


def _fingerprint(params: dict[str, Any]) -> str:
    """What a cursor is valid for: every parameter but the page itself."""
    kept = {k: str(v) for k, v in params.items() if k not in ("page", "cursor")}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()[:16]


def cursor_for(page: int, params: dict[str, Any]) -> str:
    """The opaque cursor of ``page`` of the search ``params``."""
    return signing.dumps([page, _fingerprint(params)], salt=_CURSOR_SALT)


def cursor_page(cursor: str, params: dict[str, Any]) -> int:
    """The page ``cursor`` stands for; a 400 naming ``cursor`` if it is not one for ``params``."""
    try:
        page, fingerprint = signing.loads(cursor, salt=_CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise serializers.ValidationError({"cursor": BAD_CURSOR_MESSAGE}) from None
    if fingerprint != _fingerprint(params) or not isinstance(page, int) or page < 1:
        raise serializers.ValidationError(
            {"cursor": "This cursor belongs to a search with other parameters; start again."}
        )
    return page


# Facets that are not filters: a value for them would be silently ignored.
FACET_ONLY = {"year": "Use after=YYYY-01-01&before=YYYY-12-31 to keep one year."}


def search_params(request: Request) -> dict[str, Any]:
    """The validated parameters; ValidationError naming each bad one (answered 400)."""
    params = SearchParamsSerializer(data=request.query_params)
    params.is_valid()
    errors = {name: list(messages) for name, messages in params.errors.items()}
    for name, hint in FACET_ONLY.items():
        if name in request.query_params:
            errors[name] = [f"{name} is a facet of the answer, not a filter. {hint}"]
    if errors:
        raise ValidationError(errors)
    return dict(params.validated_data)


class SearchHitSerializer(serializers.Serializer[search.SearchHit]):
    type = serializers.ChoiceField(choices=search.DOCUMENT_TYPES)
    id = serializers.IntegerField(
        allow_null=True,
        help_text="What the type's endpoint takes: the LWN id of an article or comment, the id "
        "of a merge-window item or device. Null for an article without an LWN id.",
    )
    url = serializers.URLField(allow_null=True, help_text="The object in the API (as api_url).")
    api_url = serializers.URLField(allow_null=True, help_text="The object in the API.")
    html_url = serializers.URLField(allow_null=True, help_text="Where to read it on this site.")
    lwn_url = serializers.URLField(allow_null=True, help_text="The text on lwn.net.")
    lwn_id = serializers.IntegerField(
        allow_null=True,
        help_text="On lwn.net: the article's or comment's (an item's: its article's).",
    )
    article = serializers.IntegerField(
        allow_null=True, help_text="LWN id of the article it is part of (itself for an article)."
    )
    article_url = serializers.URLField(allow_null=True, help_text="That article in the API.")
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: escaped text with <mark> around matches.")
    score = serializers.FloatField(allow_null=True, help_text="Relevance; null in date order.")
    date = serializers.DateField(allow_null=True)
    release = serializers.CharField(allow_null=True)
    section = serializers.CharField(allow_null=True)


def search_hit_data(hit: search.SearchHit, links: Links) -> dict[str, Any]:
    """One hit with the id its own endpoint takes and links to it (not the index's key)."""
    if hit.type == "article":
        key, api_url = hit.lwn_id, links.article(hit.lwn_id)
        html_url = links.article_page(hit.lwn_id)
    elif hit.type == "comment":
        key, api_url = hit.lwn_id, links.comment(hit.lwn_id)
        html_url = links.comment_page(hit.article_lwn_id, hit.lwn_id)
    elif hit.type == "merge":
        key, api_url = hit.id, links.merge_item(hit.id)
        html_url = links.merge_item_page(hit.release, hit.id)
    else:  # hardware: the section is the device's category
        key, api_url = hit.id, links.device(hit.id)
        html_url = links.device_page(hit.release, hit.section)
    return {
        "type": hit.type,
        "id": key,
        "url": api_url,
        "api_url": api_url,
        "html_url": html_url,
        "lwn_url": hit.url or None,
        "lwn_id": hit.lwn_id,
        "article": hit.article_lwn_id,
        "article_url": links.article(hit.article_lwn_id),
        "title": hit.title,
        "snippet": hit.snippet,
        "score": hit.score,
        "date": hit.date.isoformat() if hit.date else None,
        "release": hit.release or None,
        "section": hit.section or None,
    }


def _facet_list(name: str) -> Any:
    return inline_serializer(
        name=f"SearchFacet{name.title()}",
        fields={"value": serializers.CharField(), "count": serializers.IntegerField()},
        many=True,
    )


class SearchResponseSerializer(serializers.Serializer[dict[str, Any]]):
    count = serializers.IntegerField()
    results = SearchHitSerializer(many=True)
    facets = inline_serializer(
        name="SearchFacets",
        fields={
            name: _facet_list(name) for name in ("type", "release", "section", "author", "year")
        },
    )
    suggestion = serializers.CharField(allow_null=True, help_text="A corrected query, if any.")
    next = serializers.URLField(allow_null=True, help_text="The next page, by cursor.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, by cursor.")


_ERROR = error_response("A parameter or the query syntax is wrong; `errors` names it.")
_UNAVAILABLE = error_response("The index is missing or being rebuilt; see Retry-After.")


class SearchView(APIView):
    """Full-text search (an action over the index, not a model collection)."""

    @extend_schema(
        operation_id="search",
        summary="Full-text search",
        description=DESCRIPTION,
        parameters=[
            SearchParamsSerializer,
            OpenApiParameter("q", OpenApiTypes.STR, description=f"The query.\n\n{SYNTAX}"),
        ],
        responses={200: SearchResponseSerializer, 400: _ERROR, 503: _UNAVAILABLE},
    )
    def get(self, request: Request) -> Response:
        data = search_params(request)
        filters = search.SearchFilters.from_params(data)
        try:
            results = search.archive_search(
                query=data.get("q", ""),
                user=request.user,
                filters=filters,
                sort=data["sort"],
                page=data["page"],
                page_size=data["page_size"],
            )
        except search.SearchError as exc:
            raise ValidationError({"q": [exc.message]}) from None
        except search.SearchUnavailable as exc:
            raise ServiceUnavailable(exc.message, retry_after=60) from None
        url = remove_query_param(request.build_absolute_uri(), "page")

        def link(page: int) -> str:
            return replace_query_param(url, "cursor", cursor_for(page, data))

        body = {
            "count": results.count,
            "results": [
                search_hit_data(hit, links_for({"request": request})) for hit in results.hits
            ],
            "facets": results.facets.as_dict(),
            "suggestion": results.suggestion,
            "next": link(results.page + 1) if results.has_next else None,
            "previous": link(results.page - 1) if results.page > 1 else None,
        }
        return paginated_response(body)
