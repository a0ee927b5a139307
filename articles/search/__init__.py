"""lwnkb's search: the only package that talks to whoosh (or to PostgreSQL's full-text search).

``settings.SEARCH_BACKEND`` picks the engine: ``whoosh`` (the embedded default, an
index folder kept in step by tasks) or ``postgres`` (``articles.search.pg``: generated
tsvector columns on the tables themselves, so the index functions below have nothing
to do). Both take the same query language and return the same types.

Everything else calls these functions and gets these types back:

- ``archive_search(query=…, user=…, filters=…, sort=…, page=…, page_size=…)``
  → :class:`SearchResults` (hits with escaped, ``<mark>``-highlighted snippets,
  facets, a "did you mean" suggestion, the total count);
- ``index_documents_for_import(run=…)``, ``index_documents_for_articles(article_ids=…)``:
  incremental updates, one writer at a time, after an import commits;
- ``index_rebuild(if_needed=…)``: rebuild into a new folder and swap it in;
- ``index_add_documents(documents)``: index plain :class:`IndexDocument` dicts;
- ``index_status()``.

Errors: :class:`SearchError` (a query or parameter people can fix; the message
says how), :class:`SearchUnavailable` (index missing, outdated or damaged;
``manage.py lwn_reindex`` repairs it; or the postgres backend without PostgreSQL),
:class:`IndexBusy` (the write lock stayed taken; retry later).
"""

from __future__ import annotations

from articles.search.documents import IndexDocument
from articles.search.errors import IndexBusy, SearchError, SearchUnavailable
from articles.search.index import RebuildReport
from articles.search.indexing import (
    IndexStatus,
    index_add_documents,
    index_document_counts,
    index_documents_for_articles,
    index_documents_for_import,
    index_rebuild,
    index_status,
)
from articles.search.query import MAX_QUERY_LENGTH, SYNTAX_HELP
from articles.search.results import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SORTS,
    Facets,
    FacetValue,
    SearchFilters,
    SearchHit,
    SearchResults,
)
from articles.search.schema import DOCUMENT_TYPES, SCHEMA_VERSION
from articles.search.searcher import archive_search

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DOCUMENT_TYPES",
    "MAX_PAGE_SIZE",
    "MAX_QUERY_LENGTH",
    "MAX_RESULT_WINDOW",
    "SCHEMA_VERSION",
    "SORTS",
    "SYNTAX_HELP",
    "FacetValue",
    "Facets",
    "IndexBusy",
    "IndexDocument",
    "IndexStatus",
    "RebuildReport",
    "SearchError",
    "SearchFilters",
    "SearchHit",
    "SearchResults",
    "SearchUnavailable",
    "archive_search",
    "index_add_documents",
    "index_document_counts",
    "index_documents_for_articles",
    "index_documents_for_import",
    "index_rebuild",
    "index_status",
]
