"""A prefix scores its terms' union in one pass, ranking as whoosh's tree of unions does."""

from __future__ import annotations

from typing import Any

import pytest

from articles import search
from articles.search.documents import IndexDocument
from articles.search.whoosh import index
from articles.search.whoosh.compile import BoundedPrefix
from articles.search.whoosh.internals import prefixes
from tests.search.conftest import SUBSCRIBER

pytestmark = pytest.mark.whoosh_only

WORDS = ["kernel", "kernels", "kernelshark", "kerning", "kestrel", "memory"]


def notes(start: int, n: int) -> list[IndexDocument]:
    # Each note holds a different mix and count of the "ker" words, at different lengths.
    return [
        IndexDocument(
            type="comment",
            pk=i,
            title=f"Note {i}",
            body=" ".join(
                [WORDS[j % len(WORDS)] for j in range(i % 5, i % 5 + i % 9)] + ["filler"] * (i % 4)
            ),
        )
        for i in range(start, start + n)
    ]


class StockPrefix(BoundedPrefix):
    """The same prefix through whoosh's binary tree of unions, for comparison."""

    PRELOAD = False


def ranked(query: Any) -> list[tuple[int, float]]:
    with index.open_searcher() as searcher:
        return [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]


def test_it_ranks_and_scores_a_prefix_as_whooshs_union_of_its_terms() -> None:
    search.index_rebuild(documents=notes(1, 60))
    search.index_add_documents(notes(61, 25))  # a second segment
    search.index_add_documents(notes(10, 5))  # documents replaced: deletions in the first
    fast = ranked(BoundedPrefix("body", "ker"))
    stock = ranked(StockPrefix("body", "ker"))
    assert len(fast) > 40
    assert len({score for _, score in fast}) > 10  # scored, not all alike
    assert [doc for doc, _ in fast] == [doc for doc, _ in stock]
    assert [score for _, score in fast] == pytest.approx([score for _, score in stock])


def test_it_leaves_out_deleted_documents() -> None:
    search.index_rebuild(documents=notes(1, 30))
    search.index_add_documents(notes(1, 30))  # every first-segment document replaced
    with index.open_searcher() as searcher:
        first, _offset = searcher.leaf_searchers()[0]
        assert first.reader().has_deletions()
        matcher = BoundedPrefix("body", "ker").matcher(first)
        assert isinstance(matcher, prefixes.ScoredList) or not matcher.is_active()
        assert not matcher.is_active() or set(matcher.all_ids()).isdisjoint(
            first.reader().deleted_docs_set
        )


def test_it_keeps_whooshs_matcher_when_a_prefix_has_one_term() -> None:
    search.index_rebuild(documents=notes(1, 30))
    with index.open_searcher() as searcher:
        leaf, _offset = searcher.leaf_searchers()[0]
        assert not isinstance(BoundedPrefix("body", "kerni").matcher(leaf), prefixes.ScoredList)
        assert isinstance(BoundedPrefix("body", "kern").matcher(leaf), prefixes.ScoredList)


def test_it_finds_through_archive_search_what_the_union_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    search.index_rebuild(documents=notes(1, 110))  # each query matches under 100

    def ranked(query: str, size: int = 100, page: int = 1) -> list[tuple[int, float | None]]:
        found = search.archive_search(query=query, user=SUBSCRIBER, page_size=size, page=page)
        return [(hit.id, hit.score) for hit in found.hits]

    queries = ("kern*", "ker* filler", "kern* OR memory")
    whole = {q: ranked(q) for q in queries}
    assert all(40 < len(ranking) < 100 for ranking in whole.values()), {
        q: len(r) for q, r in whole.items()
    }
    # Small pages skip blocks that cannot reach them, and still slice the whole ranking.
    # (whoosh's own tree of unions does not always: with "ker* filler" its top six
    # left out the fifth document of its own whole ranking.)
    for query, ranking in whole.items():
        for size, page in ((3, 1), (3, 2), (5, 3), (20, 2)):
            start = (page - 1) * size
            assert ranked(query, size, page) == ranking[start : start + size], (query, page)
    monkeypatch.setattr(BoundedPrefix, "PRELOAD", False)
    assert whole == {q: ranked(q) for q in queries}
