"""The read side of the facade: ``archive_search``, whichever engine answers."""

from __future__ import annotations

from typing import Any, Protocol

from django.utils import timezone

from articles.models.articles import SUBSCRIBER_PERMISSION
from articles.search.backend import get_backend
from articles.search.errors import SearchError, SearchUnavailable
from articles.search.query import parse_query
from articles.search.repair import index_repair_request
from articles.search.results import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SORTS,
    Access,
    SearchFilters,
    SearchResults,
)


class Viewer(Protocol):
    """Anyone searching: a user, an anonymous visitor, an API token's user."""

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


def _check(sort: str, page: int, page_size: int) -> None:
    if sort not in SORTS:
        raise SearchError(f"sort must be one of {', '.join(SORTS)}.")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise SearchError(f"page_size must be between 1 and {MAX_PAGE_SIZE}.")
    if page < 1 or (page - 1) * page_size >= MAX_RESULT_WINDOW:
        raise SearchError(f"Only the first {MAX_RESULT_WINDOW} results can be paged through.")


def archive_search(
    *,
    query: str,
    user: Viewer,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    facets: bool = True,
    suggest: bool = True,
) -> SearchResults:
    """Search articles, merge-window items, hardware devices and comments.

    Both engines return the same results for the same query language.
    ``query`` uses the query language of ``articles.search.query``; ``filters``
    are exact facet values. Readers without ``articles.view_subscriber_content``
    find subscriber-only articles by title only until their free date, and never
    see comments or items under them. Raises SearchError (bad query or
    parameters, with a message for people) or SearchUnavailable (index missing,
    outdated or damaged; or the postgres backend on a database that is not
    PostgreSQL). An index found missing, outdated or damaged has its rebuild
    queued (``repair.index_repair_request``) before SearchUnavailable is raised,
    so the page, the API and the feed only answer 503.
    """
    _check(sort, page, page_size)
    filters = filters or SearchFilters()
    query = query.strip()
    parsed = parse_query(query)
    access = Access(user.has_perm(SUBSCRIBER_PERMISSION), timezone.now().date())
    try:
        return get_backend().search(
            query=query,
            parsed=parsed,
            filters=filters,
            access=access,
            sort=sort,
            page=page,
            page_size=page_size,
            facets=facets,
            suggest=suggest,
        )
    except SearchUnavailable as exc:
        index_repair_request(reason=exc.reason)
        raise
