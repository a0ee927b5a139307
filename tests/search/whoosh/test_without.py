"""A search's ``-word`` passes the excluded documents over inside the query's matcher, and
ranks what whoosh's ``And(query, Not(excluded))`` ranked, scores included."""

from __future__ import annotations

from typing import Any

import pytest

from articles import search
from articles.search.query import parse_query
from articles.search.whoosh.index import open_searcher
from articles.search.whoosh.internals.docsets import Without
from articles.search.whoosh.plan import Access, plan_search
from tests.search.whoosh.test_found import DAY, archive

pytestmark = pytest.mark.whoosh_only

__all__ = ["archive"]  # the fixture, shared

QUERIES = [
    "memory -scheduler",
    "memory OR pages -scheduler",
    "-pages memory",
    "memory -nowhere",
    "filler -memory -scheduler",
    "type:comment -pages",
]


def as_whoosh_wrote_it(query: Any) -> Any:
    return query.accept(lambda node: node.as_and() if isinstance(node, Without) else node)


def ranking(searcher: Any, query: Any, limit: int, sort: str) -> list[tuple[int, float]]:
    order: dict[str, Any] = {"sortedby": "day", "reverse": True} if sort == "date" else {}
    results = searcher.search(query, limit=limit, **order)
    return [(hit.docnum, round(hit.score, 9)) for hit in results[: results.scored_length()]]


@pytest.mark.parametrize("can_read", [True, False], ids=["subscriber", "anonymous"])
@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("text", QUERIES)
def test_it_ranks_an_exclusion_as_whoosh_did(
    archive: None, text: str, sort: str, can_read: bool
) -> None:
    plan = plan_search(parse_query(text), search.SearchFilters(), Access(can_read, DAY))
    assert "Without(" in repr(plan.query)
    old = as_whoosh_wrote_it(plan.query)
    assert "Without(" not in repr(old)
    with open_searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2
        # whoosh's whole ranking; its own short pages were not always its top: for
        # "memory -nowhere" its first three left out the best-scored documents.
        whole = ranking(searcher, old, 10_000, sort)
        assert whole
        for limit in (3, 20, 500):
            assert ranking(searcher, plan.query, limit, sort) == whole[:limit]
        for leaf, _offset in searcher.leaf_searchers():
            assert sorted(plan.query.docs(leaf)) == sorted(set(old.docs(leaf)))
