"""The documents still locked on a day, found once per segment and day.

Readers without the subscriber permission search ``allowed OR (title-only AND
locked AND article)``, where ``allowed`` leaves the locked documents out: the
locked test appears twice in every such search, and the docsets check it a third
time. As a whoosh ``NumericRange`` over ``locked_until`` it walks the numeric
field's term tiers through the term index each time, more than the rest of a
rare word's search (at scale 0.01, 14.9 ms for ``CAP_SYS_ADMIN`` against 1.7 ms
for a subscriber). A segment never changes and the answer changes once a day, so
it is read once per (segment, day) and kept (``segment_cache``); the query
matches that list with the range's constant score.

``Unlocked(query, today)`` is ``query`` without the locked documents. As
``And(query, Not(locked))`` whoosh walked every match of a common word one by one
(its ``Not`` cannot say how well a block may score, so the intersection cannot
either); here the query's own matcher passes the locked documents over and keeps
its block scores, so the collector still skips blocks that cannot reach the top.
Both matchers say how well their blocks may score, so the reader's whole query
(``allowed OR (title AND locked AND article)``) keeps whoosh's block skipping.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from whoosh import query as wq
from whoosh.matching import FilterMatcher, ListMatcher, NullMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.searching import Searcher

from articles.search.whoosh.internals.paths import took_fast
from articles.search.whoosh.internals.segment_cache import SegmentCache

FIELD = "locked_until"  # date.toordinal() of the free date (see fields.py)


class _Locked(NamedTuple):
    """A segment's locked documents: in order for a matcher, as a set for exclusion."""

    ordered: tuple[int, ...]
    members: frozenset[int]


# (segment, day) pairs; a day's entries replace the day before's.
_locked_cache: SegmentCache[_Locked] = SegmentCache(size=256)
# whoosh's Not scores 1 for each document it lets through, so every unlocked match of
# ``And(query, Not(locked))`` scored 1 more than the query alone. Kept: locked titles
# and unlocked texts rank against each other as they did.
NOT_SCORE = 1.0


class LockedOn(wq.Query):
    """Documents whose free date is after ``today`` (``locked_until > today``)."""

    def __init__(self, today: dt.date, boost: float = 1.0) -> None:
        self.today = today
        self.boost = boost

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.today.isoformat()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LockedOn) and (self.today, self.boost) == (
            other.today,
            other.boost,
        )

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.today, self.boost))

    def _range(self) -> Any:
        return wq.NumericRange(FIELD, self.today.toordinal() + 1, None, boost=self.boost)

    def locked_in(self, reader: Any) -> _Locked:
        """The locked documents of a segment ``reader``, read once per segment and day."""

        def read() -> _Locked:
            took_fast("locked")
            if not reader.doc_count_all():  # an empty index: its reader has no segment
                return _Locked((), frozenset())
            found = set(self._range().docs(Searcher(reader, closereader=False)))
            members = frozenset(found - reader.deleted_docs_set)
            return _Locked(tuple(sorted(members)), members)

        return _locked_cache.get(reader, f"{FIELD}>{self.today.toordinal()}", read)

    def docs_in(self, reader: Any) -> tuple[int, ...]:
        """The locked documents of a segment ``reader``, in order."""
        return self.locked_in(reader).ordered

    def estimate_size(self, ixreader: Any) -> int:
        if ixreader.is_atomic():
            return len(self.docs_in(ixreader))
        return sum(len(self.docs_in(leaf)) for leaf, _offset in ixreader.leaf_readers())

    def docs(self, searcher: Any) -> Any:
        if searcher.is_atomic():
            return iter(self.docs_in(searcher.reader()))
        return self._range().docs(searcher)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if not searcher.is_atomic():
            return self._range().matcher(searcher, context)
        docs = self.docs_in(searcher.reader())
        if not docs:
            return NullMatcher()
        # The range's own score: whoosh wraps it in a ConstantScoreQuery of its boost.
        return _ConstantList(list(docs), all_weights=self.boost)


class _ConstantList(ListMatcher):
    """Documents that all score the same, which a block-skipping collector can use."""

    def supports_block_quality(self) -> bool:
        return True

    def block_quality(self) -> float:
        return float(self._all_weights)

    def skip_to_quality(self, minquality: float) -> int:
        if self._all_weights <= minquality:
            self._i = len(self._ids)  # no document of it can score enough
            return 1
        return 0


class Unlocked(WrappingQuery):
    """``child`` without the documents locked on ``today``."""

    def __init__(self, child: Any, today: dt.date) -> None:
        super().__init__(child)
        self.today = today

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.child!r}, {self.today.isoformat()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unlocked) and (self.child, self.today) == (
            other.child,
            other.today,
        )

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.child, self.today))

    def _rewrap(self, child: Any) -> Unlocked:
        return Unlocked(child, self.today)

    def locked_in(self, reader: Any) -> frozenset[int]:
        return LockedOn(self.today).locked_in(reader).members

    def _as_and(self) -> Any:
        """The same query as whoosh writes it, for a searcher over several segments."""
        return wq.And([self.child, wq.Not(LockedOn(self.today))])

    def docs(self, searcher: Any) -> Any:
        if not searcher.is_atomic():
            return self._as_and().docs(searcher)
        locked = self.locked_in(searcher.reader())
        return (doc for doc in self.child.docs(searcher) if doc not in locked)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if not searcher.is_atomic():
            return self._as_and().matcher(searcher, context)
        found = self.child.matcher(searcher, context)
        if not found.is_active():
            return found
        # Even with nothing locked here: every segment's matches score NOT_SCORE more.
        return Excluding(found, self.locked_in(searcher.reader()), exclude=True)


class Excluding(FilterMatcher):
    """whoosh's FilterMatcher, also past excluded documents after a skip by quality,
    scoring ``NOT_SCORE`` more than its child as ``And(child, Not(locked))`` did."""

    def _replacement(self, newchild: Any) -> Any:
        return Excluding(newchild, self._ids, exclude=True)

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
