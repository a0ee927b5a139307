"""A search over a small index takes the speed layer's fast paths, never the fallbacks.

The speed layer (``articles/search/whoosh/internals/``) reads whoosh's private
internals and falls back to its public API for what it does not recognise. A
whoosh upgrade that moved an internal would only slow search, with every other
test still green; these fail instead.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest

from articles import search
from articles.search.documents import IndexDocument
from articles.search.whoosh.internals import paths
from tests.search.conftest import ANONYMOUS, SUBSCRIBER

pytestmark = pytest.mark.whoosh_only

# Each path, and a search that must take it: words, a phrase, a prefix, an exclusion,
# a date range and facets, for a reader who may see everything and one who may not.
SEARCHES = {
    "postings": "kernel memory",
    "positions": '"page cache"',
    "phrases": '"page cache"',
    "docsets": "kernel -swap",
    "lengths": "kernel",
    "length_bytes": "kernel",
    "scorer": "kernel",
    "facet_columns": "kernel after:2020-01-01",
}


def notes(start: int, n: int) -> list[IndexDocument]:
    return [
        IndexDocument(
            type="comment",
            pk=i,
            title=f"Kernel note {i}",
            body=f"The page cache of kernel memory {i}" + (" and swap" if i % 3 else ""),
            authors=[f"Author {i % 4}"],
            section="Kernel",
            date=dt.date(2021, 1, 1 + i % 28),
            subscriber_only=i % 5 == 0,
        )
        for i in range(start, start + n)
    ]


@pytest.fixture(autouse=True)
def small_index() -> Iterator[None]:
    """Two segments, one with deleted documents: the shapes real indexes have."""
    search.index_add_documents(notes(1, 30))
    search.index_add_documents(notes(20, 20))  # replaces 20..29: deletions in the first
    paths.reset()
    yield
    paths.reset()


@pytest.mark.parametrize("path", sorted(SEARCHES))
@pytest.mark.parametrize("user", [ANONYMOUS, SUBSCRIBER], ids=["anonymous", "subscriber"])
def test_it_takes_the_fast_path(path: str, user: search.Viewer) -> None:
    results = search.archive_search(query=SEARCHES[path], user=user, page_size=100)
    assert results.count > 0
    assert paths.FAST[path] > 0, f"{path}: the fast path was not taken"
    assert dict(paths.FALLBACK) == {}


def test_it_takes_no_fallback_for_any_query_shape() -> None:
    """Every query shape ``compile`` makes, on both sides of the paywall."""
    queries = [*SEARCHES.values(), "kern*", "kernel OR swap", "title:note", "author:author"]
    for user in (ANONYMOUS, SUBSCRIBER):
        for query in queries:
            search.archive_search(query=query, user=user)
    assert dict(paths.FALLBACK) == {}


def test_a_fallback_is_counted_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="lwnkb.search"):
        paths.took_fallback("postings", "a test")
        paths.took_fallback("postings", "a test")
    assert paths.FALLBACK["postings"] == 2
    assert len([r for r in caplog.records if "fell back" in r.getMessage()]) == 1
