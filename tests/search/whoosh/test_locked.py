"""The locked test reads each segment's locked documents once a day, and finds what the
numeric range over ``locked_until`` finds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from articles import search
from articles.search.documents import IndexDocument
from articles.search.query import parse_query
from articles.search.whoosh import compile as compiled
from articles.search.whoosh import index
from articles.search.whoosh.internals import locked
from articles.search.whoosh.internals.docsets import Without
from articles.search.whoosh.plan import Access, plan_search

pytestmark = pytest.mark.whoosh_only

DAY = dt.date(2026, 11, 28)


def article(pk: int, *, free_on: dt.date | None, subscriber_only: bool = True) -> IndexDocument:
    return IndexDocument(
        type="article",
        pk=pk,
        title=f"Capabilities, part {pk}",
        body=f"CAP_PERFMON and the perf events of part {pk}; " + "more words " * (pk % 5),
        subscriber_only=subscriber_only,
        free_on=free_on,
        article_id=pk,
        date=DAY - dt.timedelta(days=pk),
    )


def archive() -> list[IndexDocument]:
    return [
        article(pk, free_on=DAY + dt.timedelta(days=pk % 4 - 1), subscriber_only=pk % 3 != 0)
        for pk in range(1, 40)
    ] + [article(40, free_on=None)]  # subscriber-only with no free date: locked for good


class RangeQuery(locked.LockedOn):
    """The numeric range itself, as the query was before."""

    def docs(self, searcher: Any) -> Any:
        return self._range().docs(searcher)

    def estimate_size(self, ixreader: Any) -> int:
        return int(self._range().estimate_size(ixreader))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return self._range().matcher(searcher, context)


@pytest.fixture
def two_segments() -> None:
    search.index_rebuild(documents=archive()[:25])
    search.index_add_documents(archive()[20:])  # replaces 20..24: deletions in the first


@pytest.mark.parametrize("offset", [-2, -1, 0, 1, 3])
def test_it_finds_the_documents_the_range_finds(two_segments: None, offset: int) -> None:
    day = DAY + dt.timedelta(days=offset)
    with index.open_searcher() as searcher:
        leaves = searcher.leaf_searchers()
        assert len(leaves) == 2
        total = 0
        for leaf, _offset in leaves:
            found = list(locked.LockedOn(day).docs(leaf))
            expected = sorted(set(RangeQuery(day).docs(leaf)) - leaf.reader().deleted_docs_set)
            assert found == expected
            total += len(found)
        assert 0 < total < searcher.doc_count()


def test_it_ranks_an_anonymous_search_as_the_range_did(
    two_segments: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    noon = dt.datetime.combine(DAY, dt.time(12), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)  # the day the search runs

    def hits(query: str) -> list[tuple[int, float | None, bool]]:
        # Small pages too: the collector then skips what cannot reach the top five.
        return [
            (hit.id, hit.score, hit.locked)
            for size, page in ((100, 1), (5, 1), (5, 2), (5, 4))
            for hit in search.archive_search(
                query=query, user=AnonymousUser(), page_size=size, page=page
            ).hits
        ]

    now = {q: hits(q) for q in ("CAP_PERFMON", "capabilities", "perf events")}
    # As the query was: whoosh's AND NOT the numeric range.
    monkeypatch.setattr(compiled, "LockedOn", RangeQuery)
    monkeypatch.setattr(
        compiled, "without", lambda full, excluded: Without(full, excluded).as_and()
    )
    before = {q: hits(q) for q in now}
    assert now == before
    assert any(is_locked for *_, is_locked in now["capabilities"])  # titles of locked ones


def test_it_reads_the_term_index_once_per_segment_and_day(
    two_segments: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    noon = dt.datetime.combine(DAY, dt.time(12), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    locked._locked_cache.clear()
    reads: list[int] = []
    read = locked.LockedOn._range

    def counted(self: locked.LockedOn) -> Any:
        reads.append(1)
        return read(self)

    monkeypatch.setattr(locked.LockedOn, "_range", counted)
    for _ in range(3):
        search.archive_search(query="CAP_PERFMON", user=AnonymousUser())
    assert len(reads) == 2  # one per segment, on the first search


# Not a phrase or an exclusion: those never say how well a block may score, for anyone.
@pytest.mark.parametrize("query", ["CAP_PERFMON", "capabilities", "perf events"])
def test_it_keeps_block_skipping_for_a_reader_without_the_permission(
    two_segments: None, query: str
) -> None:
    access = Access(can_read=False, today=DAY)
    plan = plan_search(parse_query(query), search.SearchFilters(), access)
    with index.open_searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            matcher = plan.query.matcher(leaf, leaf.context(needs_current=False))
            assert matcher.supports_block_quality(), matcher


def test_it_searches_an_empty_index_as_a_reader_without_the_permission() -> None:
    search.index_rebuild(documents=[])
    found = search.archive_search(query="CAP_PERFMON", user=AnonymousUser())
    assert (found.count, found.hits) == (0, [])
