"""Ranking within the documents a search has already found, rather than filtering as it ranks.

A search with a column range (``release:5.8``, ``after:2020-07-01``, the API's dates)
finds its matches first (``docsets``, ``facet_columns.passing``), then ranks. whoosh's
``filter=`` tested each match of the query against that set one by one, and a search
of ranges alone ranked ``Every()``, a list of every document in the index: at scale
0.1, ``release:5.8`` (256 hits) walked all 96,000 documents, 240 ms a search.

When the matches are few, ``within(query, found)`` is ``query`` restricted to them:
``Every`` becomes the found documents themselves, and the whole is intersected with
them at no score, so the intersection passes over postings it cannot use (``skip_to``
by block) and the scores are the query's own. The found documents claim an unbounded
block quality, as a checked phrase does (``phrases._DocList``): whoosh's intersection,
asked to skip to a better block, would otherwise move the side that adds nothing to
the score, one document at a time or (were it to say it has no better block) to its
end, dropping the rest. Ranking then scores each found document once, which for many
costs more than whoosh's block skipping over the query with the found documents as
its filter: ``every_as_found`` keeps that way, with ``Every`` standing for the found
documents.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from articles.search.whoosh.internals.phrases import segment_key


class _Found(ListMatcher):
    """Sorted documents that all score ``score`` (0 as well, which ListMatcher reads as 1),
    skipped to by bisection; never pruned (see the module's docstring)."""

    _i: int  # ListMatcher's position in the list
    _ids: Sequence[int]

    def __init__(self, ids: Sequence[int], score: float, position: int = 0) -> None:
        super().__init__(ids, position=position)
        self._score = score

    def copy(self) -> _Found:
        return _Found(self._ids, self._score, self._i)

    def weight(self) -> float:
        return self._score

    def score(self) -> float:
        return self._score

    def skip_to(self, id: int) -> None:
        if self.is_active() and id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return float("inf")

    def block_quality(self) -> float:
        return float("inf")

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else NullMatcher()


class Found(wq.Query):
    """The documents of ``by_segment`` (segment id → sorted segment-local numbers), each
    scoring ``score``."""

    def __init__(self, by_segment: Mapping[str, Sequence[int]], score: float) -> None:
        # Not ``docs``: that is whoosh's Query.docs(searcher), which docsets may call.
        self.by_segment = by_segment
        self.score = score
        self.boost = 1.0

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({sum(map(len, self.by_segment.values()))} docs)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Found) and (self.by_segment, self.score) == (
            other.by_segment,
            other.score,
        )

    def __hash__(self) -> int:
        return id(self.by_segment)

    def docs_in(self, reader: Any) -> Sequence[int]:
        return self.by_segment.get(segment_key(reader), ())

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.docs_in(ixreader))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ids = self.docs_in(searcher.reader())
        return _Found(ids, self.score) if ids else NullMatcher()


def every_as_found(query: Any, docs: Callable[[], Mapping[str, Sequence[int]]]) -> Any:
    """``query`` with ``Every()`` standing for the documents ``docs()`` gives (asked only
    when it has one), which score what ``Every`` scores (its boost, 1)."""
    if not any(isinstance(leaf, wq.Every) for leaf in query.leaves()):
        return query
    found = docs()
    return query.accept(
        lambda node: Found(found, float(node.boost)) if isinstance(node, wq.Every) else node
    )


def within(query: Any, docs: Mapping[str, Sequence[int]]) -> Any:
    """``query`` ranked as it is, but only over ``docs`` (which it matches)."""
    return wq.And([every_as_found(query, lambda: docs), Found(docs, 0.0)])
