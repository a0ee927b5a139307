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

``allowed`` is ``Without(query, LockedOn(today))`` (``docsets``): the query's own
matcher passes the locked documents over and keeps its block scores. The locked
list says how well its blocks may score too, so the reader's whole query
(``allowed OR (title AND locked AND article)``) keeps whoosh's block skipping.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
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
