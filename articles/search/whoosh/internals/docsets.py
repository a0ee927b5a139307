"""The documents a query matches, as sets of document numbers, for totals and facets.

Ranking needs scores for the top of the list only, and whoosh finds those
quickly by skipping blocks that cannot enter it. The total and the facets need
every match but no score: walking whoosh's matchers for them costs about a
microsecond per posting in Python. Here term postings are read a block at a
time (``postings``) and combined with set operations, which run in C; phrases
come checked (``phrases.VerifiedPhrase``). Numeric ranges inside an OR or an
exclusion go through whoosh's matcher by design (``compile`` makes few); any
other query shape this module does not know is a fallback ``paths`` counts.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Protocol

from whoosh import query as wq
from whoosh.matching import FilterMatcher, NullMatcher
from whoosh.query.wrappers import WrappingQuery

from articles.search.whoosh.internals.facet_columns import (
    FACET_FIELDS,
    ColumnRange,
    ColumnsReader,
    having,
    passing,
)
from articles.search.whoosh.internals.found import Found
from articles.search.whoosh.internals.locked import LockedOn
from articles.search.whoosh.internals.paths import took_fallback, took_fast
from articles.search.whoosh.internals.phrases import PhraseReader, VerifiedPhrase, segment_key
from articles.search.whoosh.internals.postings import term_docs
from articles.search.whoosh.internals.prefixes import ScoredList


class DocsetReader(PhraseReader, ColumnsReader, Protocol):
    """A segment reader, as far as docsets ask (postings, columns, deletions, its size)."""


class LeafSearcher(Protocol):
    """One segment's searcher (``searcher.leaf_searchers()``)."""

    def reader(self) -> DocsetReader: ...


# A term reads only the blocks near the documents kept when they are fewer than this
# share of the segment; for more, sorting them costs more than the blocks skipped.
NEAR_SHARE = 1 / 8


@dataclass(frozen=True, slots=True)
class _Scope:
    within: AbstractSet[int] | None  # None: the whole segment
    near: Sequence[int] | None  # ``within`` sorted, when few enough to skip blocks by


def docset(
    query: Any, searcher: LeafSearcher, *, within: AbstractSet[int] | None = None
) -> set[int]:
    """Segment-local numbers of the documents ``query`` matches in a leaf ``searcher``.

    With ``within`` (a search's column ranges), the caller keeps only those documents
    in the end, so the set may leave out others: ``Every()`` stands for them alone
    rather than every document of the segment, and a term reads only the blocks that
    may hold them. Intersect the result with ``within``.
    """
    took_fast("docsets")
    scope = _Scope(None, None) if within is None else _narrowed(within, searcher.reader())
    return _docset(query, searcher, scope)


def in_range_docset(query: Any, searcher: LeafSearcher, ranges: Sequence[ColumnRange]) -> set[int]:
    """``docset(query)`` of the documents within every one of ``ranges`` (none: all)."""
    if not ranges:
        return docset(query, searcher)
    in_range = passing(searcher.reader(), ranges)
    return docset(query, searcher, within=in_range) & in_range


def _narrowed(within: AbstractSet[int], reader: DocsetReader) -> _Scope:
    near = sorted(within) if len(within) < NEAR_SHARE * reader.doc_count_all() else None
    return _Scope(within, near)


def _matched_by_whoosh(query: Any, searcher: LeafSearcher) -> set[int]:
    if not isinstance(query, wq.NumericRange):
        took_fallback("docsets", f"a {type(query).__name__} query")
    return set(query.docs(searcher))


def _is_facet_term(query: Any) -> bool:
    return isinstance(query, wq.Term) and query.fieldname in FACET_FIELDS


def _docset(query: Any, searcher: LeafSearcher, scope: _Scope) -> set[int]:
    reader = searcher.reader()
    if isinstance(query, wq.Term):
        return term_docs(reader, query.fieldname, query.text, scope.near)
    if isinstance(query, VerifiedPhrase):
        return set(query.docs_in(reader))
    if isinstance(query, (LockedOn, Found)):
        return set(query.docs_in(reader))
    if isinstance(query, Without):
        kept = _docset(query.child, searcher, scope)
        return kept - query.excluded_in(searcher) if kept else kept
    if isinstance(query, wq.AndMaybe):
        return _docset(query.a, searcher, scope)  # the optional part only changes scores
    if isinstance(query, wq.Prefix):
        found: set[int] = set()
        for text in query._btexts(reader):  # bounded for BoundedPrefix
            found |= term_docs(reader, query.fieldname, text)
        return found
    if isinstance(query, wq.Or):
        found = set()
        for child in query.subqueries:
            found |= _docset(child, searcher, scope)
        return found
    if isinstance(query, wq.And):
        wanted = [q for q in query.subqueries if not isinstance(q, wq.Not)]
        unwanted = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
        if not wanted:
            return _matched_by_whoosh(query, searcher)
        # The fewest matches first, matcher fallbacks last: by then there may be little or
        # nothing left to intersect. A facet value after the first is tested on its column.
        wanted.sort(key=lambda q: (isinstance(q, wq.NumericRange), q.estimate_size(reader)))
        found = _docset(wanted[0], searcher, scope)
        # What the rest may leave out: documents the first did not match.
        narrowed = _narrowed(found, reader)
        for child in wanted[1:]:
            if not found:
                break
            if _is_facet_term(child):
                found = having(reader, found, child.fieldname, child.text)
            else:
                found &= _docset(child, searcher, narrowed)
        for child in unwanted:
            if not found:
                break
            found -= _docset(child, searcher, narrowed)
        return found
    if isinstance(query, wq.Every):
        if scope.within is not None:
            return set(scope.within) - reader.deleted_docs_set
        return set(range(reader.doc_count_all())) - reader.deleted_docs_set
    return _matched_by_whoosh(query, searcher)


# whoosh's Not scores 1 for each document it lets through, so every match of
# ``And(query, Not(excluded))`` scored 1 more than the query alone. Kept: locked titles
# and unlocked texts rank against each other as they did.
NOT_SCORE = 1.0


class Without(WrappingQuery):
    """``child`` without the documents ``excluded`` matches: a search's ``-word``, and the
    texts locked for a reader (``Without(query, LockedOn(today))``).

    As ``And(child, Not(excluded))`` whoosh walked every match of ``child`` one by one:
    its ``Not`` cannot say how well a block may score, so neither can the intersection,
    and the collector could skip no block (at scale 0.1, ``bpf -seccomp`` scored all
    6,412 matches; at 0.01, ``kernel`` for an anonymous reader took four times a
    subscriber's). Here the excluded documents are found as a set and passed over
    inside ``child``'s own matcher, which keeps its block scores, plus the 1 whoosh's
    ``Not`` added to each (``NOT_SCORE``) in every segment, so rankings are unchanged.
    """

    def __init__(self, child: Any, excluded: Any) -> None:
        super().__init__(child)
        self.excluded = excluded
        # Per segment, for this search: the count and the ranking both need them.
        self._excluded_in: dict[str, frozenset[int]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.child!r}, {self.excluded!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Without) and (self.child, self.excluded) == (
            other.child,
            other.excluded,
        )

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.child, self.excluded))

    def _rewrap(self, child: Any) -> Without:
        return Without(child, self.excluded)

    def excluded_in(self, searcher: LeafSearcher) -> frozenset[int]:
        """The documents ``excluded`` matches in a leaf ``searcher``, found once per search."""
        key = segment_key(searcher.reader())
        with self._lock:
            if key not in self._excluded_in:
                self._excluded_in[key] = frozenset(docset(self.excluded, searcher))
            return self._excluded_in[key]

    def as_and(self) -> Any:
        """The same query as whoosh writes it."""
        return wq.And([self.child, wq.Not(self.excluded)])

    def docs(self, searcher: Any) -> Any:
        if not searcher.is_atomic():
            return self.as_and().docs(searcher)
        return iter(sorted(docset(self, searcher)))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if not searcher.is_atomic():
            return self.as_and().matcher(searcher, context)
        found = self.child.matcher(searcher, context)
        if not found.is_active():
            return found
        if isinstance(found, ScoredList):  # scored already: filtered once, not per match
            return found.without(self.excluded_in(searcher), plus=NOT_SCORE)
        return _Excluding(found, self.excluded_in(searcher), exclude=True)


class _Excluding(FilterMatcher):
    """whoosh's FilterMatcher, also past excluded documents after a skip by quality,
    scoring ``NOT_SCORE`` more than its child as ``And(child, Not(excluded))`` did."""

    def _replacement(self, newchild: Any) -> Any:
        return _Excluding(newchild, self._ids, exclude=True)

    def replace(self, minquality: float = 0) -> Any:
        # The child scores NOT_SCORE less than this matcher: ask it for that much less.
        child = self.child.replace(max(0.0, minquality - NOT_SCORE))
        if not child.is_active():
            return NullMatcher()
        return self if child is self.child else self._replacement(child)

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.child.skip_to_quality(minquality - NOT_SCORE)
        self._find_next()
        return int(skipped)

    def max_quality(self) -> float:
        return float(self.child.max_quality()) + NOT_SCORE

    def block_quality(self) -> float:
        return float(self.child.block_quality()) + NOT_SCORE

    def score(self) -> float:
        return float(self.child.score()) + NOT_SCORE
