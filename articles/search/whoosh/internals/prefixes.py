"""A prefix's expansion scored in one pass over its postings, not a tree of unions.

whoosh ORs a prefix's terms together as a binary tree of ``UnionMatcher``s and
asks every node of it, for every matching document, which document is current
and what it scores: at scale 0.01 ``kern*`` (13 terms, the same 1,246 documents
as ``kernel``) took four times as long as ``kernel``, at full size 1.3 s. Here
each term's postings are read a block at a time (``postings.term_weights``),
scored with the searcher's own scorer (BM25F, ``lengths``' cached field
lengths), summed per document as the union would sum them, and handed to the
collector as one list of (document, score).

whoosh itself scores a prefix two ways: on an index of over 5,000 documents the
union sums its terms' BM25F scores, under that every match scores 1 (its
``PreloadedOr``, unscored). Here every index gets the sum, so a prefix ranks
the same on a test's index as on the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from itertools import accumulate
from typing import Any

from whoosh import scoring
from whoosh.matching import ListMatcher, NullMatcher

from articles.search.whoosh.internals.postings import term_weights

PostingScore = Callable[[int, float], float]


def posting_score(scorer: Any) -> PostingScore | None:
    """(document, weight) to the score ``scorer.score(matcher)`` would give, or None."""
    if isinstance(scorer, scoring.WeightLengthScorer):
        score, length = scorer._score, scorer.dfl
        # A score is a function of the weight and the length only, and lengths are
        # stored as one byte (256 values): most postings find theirs already computed.
        known: dict[tuple[float, int], float] = {}

        def scored(doc: int, weight: float) -> float:
            key = (weight, length(doc))
            found = known.get(key)
            if found is None:
                found = known[key] = score(*key)
            return found

        return scored
    if isinstance(scorer, scoring.WeightScorer):  # fields without lengths: the weight
        return lambda _doc, weight: weight
    return None


def preloaded_union(
    searcher: Any, field: str, texts: Iterable[bytes], *, boost: float, weighting: Any
) -> Any:
    """A matcher of every document holding one of ``texts`` in ``field``, each scored
    the sum of its terms' scores (times ``boost``), in one segment's ``searcher``; None
    when a term's scorer is not one whose score is a function of weight and length."""
    reader = searcher.reader()
    scores: dict[int, float] = {}
    for text in texts:
        score = posting_score(weighting.scorer(searcher, field, text))
        if score is None:
            return None
        get = scores.get
        for doc, weight in term_weights(reader, field, text):
            scores[doc] = get(doc, 0.0) + score(doc, weight)
    if not scores:
        return NullMatcher()
    ids = sorted(scores)
    return ScoredList(ids, [scores[doc] * boost for doc in ids])


class ScoredList(ListMatcher):
    """Documents with their scores, in blocks whose best score is known: the collector
    skips the blocks that cannot reach the page, as it does a term's posting blocks,
    and a union asks the best score left without a scan."""

    BLOCK = 64
    _i: int  # ListMatcher's position in the list

    def __init__(self, ids: list[int], scores: list[float]) -> None:
        super().__init__(ids, weights=scores)
        size = self.BLOCK
        self._block_best = [max(scores[i : i + size]) for i in range(0, len(scores), size)]
        self._best_left = list(accumulate(reversed(self._block_best), max))[::-1]

    def copy(self) -> ScoredList:
        copied = ScoredList(self._ids, self._weights)
        copied._i = self._i
        return copied

    def supports_block_quality(self) -> bool:
        return True

    def remaining(self) -> tuple[list[int], list[float]]:
        """The documents from here on, and their scores."""
        return self._ids[self._i :], self._weights[self._i :]

    def exhaust(self) -> None:
        """Past the last document (its matches were all taken at once)."""
        self._i = len(self._ids)

    def without(self, excluded: AbstractSet[int], *, plus: float) -> Any:
        """The documents left from here on that are not ``excluded``, each scoring ``plus``
        more: one list for the collector where a filter would ask of every match."""
        ids, scores = self.remaining()
        kept = [
            (doc, score + plus)
            for doc, score in zip(ids, scores, strict=True)
            if doc not in excluded
        ]
        if not kept:
            return NullMatcher()
        kept_ids, kept_scores = zip(*kept, strict=True)
        return ScoredList(list(kept_ids), list(kept_scores))

    def max_quality(self) -> float:
        return self._best_left[self._i // self.BLOCK] if self.is_active() else 0.0

    def block_max_weight(self) -> float:
        return self.max_quality()

    def block_quality(self) -> float:
        return self._block_best[self._i // self.BLOCK]

    def skip_to_quality(self, minquality: float) -> int:
        skipped = 0
        while self.is_active() and self.block_quality() <= minquality:
            self._i = (self._i // self.BLOCK + 1) * self.BLOCK
            skipped += 1
        return skipped
