"""Searches with column ranges rank within their matches, as whoosh's filter ranked them,
without listing every document of the index for a search of ranges alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from articles import search
from articles.search.documents import IndexDocument
from articles.search.query import parse_query, release_key
from articles.search.whoosh import searcher as whoosh_searcher
from articles.search.whoosh.index import open_searcher
from articles.search.whoosh.internals import facet_columns
from articles.search.whoosh.internals.docsets import docset
from articles.search.whoosh.plan import Access, plan_search

pytestmark = pytest.mark.whoosh_only

DAY = dt.date(2026, 11, 28)
RELEASES = ["5.7", "5.8", "5.9", "5.10", "6.1"]
WORDS = ["memory", "scheduler", "memory scheduler", "memory memory pages", "pages"]


def document(pk: int) -> IndexDocument:
    return IndexDocument(
        type=("article", "comment", "merge")[pk % 3],
        pk=pk,
        title=f"Part {pk}" + (" memory" if pk % 11 == 0 else ""),
        body=f"{WORDS[pk % len(WORDS)]} and filler {pk} " + "words " * (pk % 7),
        release=RELEASES[pk % len(RELEASES)] if pk % 3 == 2 else "",
        date=DAY - dt.timedelta(days=pk * 3),
        subscriber_only=pk % 4 == 0,
        free_on=DAY + dt.timedelta(days=pk % 3 - 1) if pk % 4 == 0 else None,
        article_id=pk,
    )


@pytest.fixture
def archive() -> None:
    corpus = [document(pk) for pk in range(1, 700)]
    search.index_rebuild(documents=corpus[:500])
    search.index_add_documents(corpus[450:])  # replaces 450..499: deletions in the first


QUERIES = [
    "release:5.8",
    "release:>=5.9",
    "after:2025-06-01",
    "release:>=5.9 memory",
    "after:2025-06-01 memory",
    "before:2024-01-01 memory -scheduler",
    "after:2024-01-01 before:2025-06-01 pages OR scheduler",
    "release:>=5.8 type:merge",
]


def _passes(reader: Any, doc: int, wanted: facet_columns.ColumnRange) -> bool:
    values = facet_columns._values(reader, wanted.column)
    return bool(values) and wanted.low <= values[doc] <= wanted.high


def whooshs_filter(searcher: Any, plan: Any, *, sort: str, limit: int) -> list[tuple[int, Any]]:
    """The ranking as it was: the plan's query (``Every()`` for ranges alone) with the
    matches in range, tested document by document, as whoosh's filter."""
    allowed = set()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for doc in set(plan.query.docs(leaf)) - reader.deleted_docs_set:
            if all(_passes(reader, doc, r) for r in plan.ranges):  # none: every match
                allowed.add(offset + doc)
    order: dict[str, Any] = {"sortedby": "day", "reverse": True} if sort == "date" else {}
    results = searcher.search(plan.query, limit=limit, filter=allowed, **order)
    return [(hit.docnum, hit.score) for hit in results[: results.scored_length()]]


@pytest.mark.parametrize("rank_within", [0, 10_000], ids=["filtered", "within"])
@pytest.mark.parametrize("can_read", [True, False], ids=["subscriber", "anonymous"])
@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("text", QUERIES)
def test_it_ranks_a_ranged_search_as_whooshs_filter_did(
    archive: None,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    sort: str,
    can_read: bool,
    rank_within: int,
) -> None:
    monkeypatch.setattr(whoosh_searcher, "RANK_WITHIN", rank_within)
    plan = plan_search(parse_query(text), search.SearchFilters(), Access(can_read, DAY))
    assert plan.ranges
    with open_searcher() as searcher:
        assert any(leaf.reader().has_deletions() for leaf, _ in searcher.leaf_searchers())
        for limit in (3, 20, 500):
            expected = whooshs_filter(searcher, plan, sort=sort, limit=limit)
            found, count, _facets = whoosh_searcher._run(
                searcher, plan, sort=sort, limit=limit, facets=False
            )
            assert count >= len(expected) > 0
            if sort == "date":  # no scores: whoosh's are its sort keys, which pages never show
                assert [hit.docnum for hit in found] == [docnum for docnum, _key in expected]
            else:
                assert [(hit.docnum, hit.score) for hit in found] == expected


def test_it_ranks_ranges_alone_without_every_document(archive: None) -> None:
    plan = plan_search(parse_query("release:5.8"), search.SearchFilters(), Access(False, DAY))
    assert any(type(leaf).__name__ == "Every" for leaf in plan.query.leaves())
    with open_searcher() as searcher:
        segments = []
        for leaf, offset in searcher.leaf_searchers():
            within = facet_columns.passing(leaf.reader(), plan.ranges)
            segments.append((leaf, offset, docset(plan.query, leaf, within=within) & within))
        count = sum(len(docs) for _leaf, _offset, docs in segments)
        assert 0 < count <= whoosh_searcher.RANK_WITHIN
        # The matches alone, and (as for more than RANK_WITHIN) whoosh's filter.
        for as_count in (count, whoosh_searcher.RANK_WITHIN + 1):
            ranked, _allowed = whoosh_searcher._ranked(plan, segments, as_count)
            assert not any(type(leaf).__name__ == "Every" for leaf in ranked.leaves())


@pytest.mark.parametrize(
    ("column", "low", "high"),
    [
        ("release_key", release_key("5.8"), release_key("5.8")),
        ("release_key", release_key("5.9"), 2**31 - 1),
        ("day", (DAY - dt.timedelta(days=400)).toordinal(), DAY.toordinal()),
        ("day", 1, 2),
    ],
)
def test_it_finds_a_ranges_documents_as_a_test_of_each(
    archive: None, column: str, low: int, high: int
) -> None:
    wanted = facet_columns.ColumnRange(column, low, high)
    with open_searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            values = facet_columns._values(reader, column)
            each = {d for d in range(reader.doc_count_all()) if values and low <= values[d] <= high}
            assert facet_columns.passing(reader, [wanted]) == each
            some = set(range(0, reader.doc_count_all(), 3))
            assert facet_columns.passing(reader, [wanted]) & some == each & some


@pytest.fixture
def same_days() -> None:
    """Seven documents a day, in two segments with deletions: ties for the date order."""
    corpus = [document(pk) | {"date": DAY - dt.timedelta(days=pk // 7)} for pk in range(1, 400)]
    corpus[5]["date"] = None  # undated: last
    search.index_rebuild(documents=corpus[:300])
    search.index_add_documents(corpus[280:])


@pytest.mark.parametrize("can_read", [True, False], ids=["subscriber", "anonymous"])
@pytest.mark.parametrize(
    "text", ["memory", "filler", "memory -scheduler", "pages OR scheduler", *QUERIES[:3]]
)
def test_it_orders_by_date_as_whooshs_sort_did(same_days: None, text: str, can_read: bool) -> None:
    plan = plan_search(parse_query(text), search.SearchFilters(), Access(can_read, DAY))
    with open_searcher() as searcher:
        assert any(leaf.reader().has_deletions() for leaf, _ in searcher.leaf_searchers())
        for limit in (3, 20, 500):
            expected = [
                docnum
                for docnum, _score in whooshs_filter(searcher, plan, sort="date", limit=limit)
            ]
            found, count, _facets = whoosh_searcher._run(
                searcher, plan, sort="date", limit=limit, facets=False
            )
            assert count >= len(expected) > 0
            assert [hit.docnum for hit in found] == expected


def test_it_orders_a_segment_without_dates_last(same_days: None) -> None:
    search.index_add_documents([document(pk) | {"date": None} for pk in range(1000, 1010)])
    plan = plan_search(parse_query("filler"), search.SearchFilters(), Access(True, DAY))
    with open_searcher() as searcher:
        expected = [
            docnum for docnum, _key in whooshs_filter(searcher, plan, sort="date", limit=600)
        ]
        found, count, _facets = whoosh_searcher._run(
            searcher, plan, sort="date", limit=600, facets=False
        )
        assert count == len(expected)
        assert [hit.docnum for hit in found] == expected
