"""``/api/v1/search/``: full-text search over articles, merge-window items, devices, comments.

The same parameters drive the ``/search/`` page. Invalid parameters or query
syntax answer 400 with a ``detail`` message; an index that is missing,
outdated or damaged answers 503 until ``manage.py lwn_reindex`` has run.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from articles import search
from articles.api.errors import ServiceUnavailable, error_response

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
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=search.MAX_PAGE_SIZE, default=search.DEFAULT_PAGE_SIZE
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        filters = ("type", "release", "section", "author", "after", "before")
        if not attrs.get("q") and not any(attrs.get(name) for name in filters):
            raise serializers.ValidationError({"q": "Give a query, a filter, or both."})
        return attrs


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
    id = serializers.IntegerField(help_text="Primary key of the article, item, device or comment.")
    lwn_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    url = serializers.CharField(help_text="The text on lwn.net.")
    snippet = serializers.CharField(help_text="HTML: escaped text with <mark> around matches.")
    score = serializers.FloatField(allow_null=True, help_text="Relevance; null in date order.")
    date = serializers.DateField(allow_null=True)
    release = serializers.CharField()
    section = serializers.CharField()


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
    next = serializers.URLField(allow_null=True)


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
        url = request.build_absolute_uri()
        body = {
            "count": results.count,
            "results": [SearchHitSerializer(hit).data for hit in results.hits],
            "facets": results.facets.as_dict(),
            "suggestion": results.suggestion,
            "next": replace_query_param(url, "page", results.page + 1)
            if results.has_next
            else None,
        }
        return Response(body)
