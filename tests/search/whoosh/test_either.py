"""A reader without the subscription: unlocked texts or locked titles, ranked as whoosh's
``Or`` ranks them, with the locked-title part left out where it matches nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from articles import search
from articles.search.query import parse_query
from articles.search.whoosh import index
from articles.search.whoosh.internals import prefixes
from articles.search.whoosh.internals.either import Either
from articles.search.whoosh.plan import Access, plan_search
from tests.search.whoosh.test_boosted import notes

pytestmark = pytest.mark.whoosh_only


class StockOr(Either):
    """whoosh's own Or over the same parts."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return super(Either, self).matcher(searcher, context)


def anonymous(text: str) -> Any:
    plan = plan_search(parse_query(text), search.SearchFilters(), Access(False, dt.date.today()))
    assert isinstance(plan.query, Either)
    return plan.query


def ranked(query: Any) -> list[tuple[int, float]]:
    with index.open_searcher() as searcher:
        return [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]


@pytest.mark.parametrize("text", ["CAP_BPF", "memory", "note", "CAP_BPF memory"])
def test_it_ranks_as_whooshs_or_of_both_parts(text: str) -> None:
    search.index_rebuild(documents=notes(1, 200))  # locked titles with CAP_BPF: 45, 90…
    search.index_add_documents(notes(201, 3))  # a segment with no locked title
    query = anonymous(text)
    fast = ranked(query)
    assert fast
    assert fast == ranked(StockOr(query.subqueries))


def test_it_leaves_out_the_locked_titles_where_none_has_the_words() -> None:
    search.index_rebuild(documents=notes(1, 40))  # locked: 9, 18, 27, 36; no CAP_BPF title
    with index.open_searcher() as searcher:
        leaf, _offset = searcher.leaf_searchers()[0]
        # The unlocked texts' own list, not a union the collector asks at every match.
        assert isinstance(anonymous("CAP_BPF").matcher(leaf), prefixes.ScoredList)
    search.index_rebuild(documents=notes(1, 50))  # 45 is locked and its title has it
    with index.open_searcher() as searcher:
        leaf, _offset = searcher.leaf_searchers()[0]
        assert not isinstance(anonymous("CAP_BPF").matcher(leaf), prefixes.ScoredList)
        titles = [hit["pk"] for hit in searcher.search(anonymous("CAP_BPF"), limit=None)]
        assert 45 in titles
