"""lwnkb's search: one facade over two engines, the only package that talks to whoosh.

Everything else calls these functions and gets these types back:

- ``archive_search(query=…, user=…, filters=…, sort=…, page=…, page_size=…)``
  → :class:`SearchResults` (hits with escaped, ``<mark>``-highlighted snippets,
  facets, a "did you mean" suggestion, the total count); an index found
  unusable has its rebuild queued before :class:`SearchUnavailable` is raised;
- ``index_documents_for_import(run=…)``, ``index_documents_for_articles(article_ids=…)``:
  incremental updates, one writer at a time, after an import commits;
- ``index_rebuild(if_needed=…)``: rebuild into a new folder and swap it in;
- ``index_add_documents(documents)``: index plain :class:`IndexDocument` dicts;
- ``index_status()``, ``index_document_counts()``, ``index_setup_pending()`` and
  ``index_setup()`` (for ``lwn_reindex``), ``index_on_migrate`` (post_migrate),
  ``postgres_columns_drop()``.

Layout: ``backend.py`` is the :class:`Backend` protocol both engines satisfy and
``get_backend()``, the one reader of ``settings.SEARCH_BACKEND``. The engines are
sibling folders: ``whoosh/`` (the embedded default: an index folder kept in step
by tasks; ``whoosh/internals/`` is its speed layer over whoosh's private
internals) and ``pg/`` (generated tsvector columns on the tables themselves). What
both share sits here: the query language (``query.py``), analysis, snippets,
documents, result types, errors and the repair request. Engines import from these
shared modules and from themselves, never from each other.

Errors: :class:`SearchError` (a query or parameter people can fix; the message
says how), :class:`SearchUnavailable` (index missing, outdated or damaged;
``manage.py lwn_reindex`` repairs it; or the postgres backend without PostgreSQL),
:class:`IndexBusy` (the write lock stayed taken; retry later).
"""

from __future__ import annotations

from articles.search.documents import IndexDocument
from articles.search.errors import IndexBusy, SearchError, SearchUnavailable
from articles.search.indexing import (
    index_add_documents,
    index_document_counts,
    index_documents_for_articles,
    index_documents_for_import,
    index_on_migrate,
    index_rebuild,
    index_setup,
    index_setup_pending,
    index_status,
    postgres_columns_drop,
)
from articles.search.query import DOCUMENT_TYPES, MAX_QUERY_LENGTH, SYNTAX_HELP
from articles.search.results import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SORTS,
    Facets,
    FacetValue,
    IndexSetup,
    IndexStatus,
    RebuildReport,
    SearchFilters,
    SearchHit,
    SearchResults,
)
from articles.search.searching import Viewer, archive_search
from articles.search.whoosh.schema import SCHEMA_VERSION

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
    "IndexSetup",
    "IndexStatus",
    "RebuildReport",
    "SearchError",
    "SearchFilters",
    "SearchHit",
    "SearchResults",
    "SearchUnavailable",
    "Viewer",
    "archive_search",
    "index_add_documents",
    "index_document_counts",
    "index_documents_for_articles",
    "index_documents_for_import",
    "index_on_migrate",
    "index_rebuild",
    "index_setup",
    "index_setup_pending",
    "index_status",
    "postgres_columns_drop",
]
