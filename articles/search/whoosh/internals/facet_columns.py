"""Per-document columns: facet counts and range checks.

Facet values, dates and release keys come from per-document columns. A
segment's columns never change once written, so their decoded values are
cached per segment; a broad query then costs one list lookup per matching
document and facet, and ``after:``/``release:>=`` cost a comparison instead of
a union over thousands of indexed numbers; a range column's documents are also
kept in order of value, so a narrow range is found by bisection. A column a
segment lacks (no document there has the field) counts nothing and passes no range.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any, Protocol

from articles.search.results import Facets, FacetValue
from articles.search.whoosh.internals.paths import took_fast
from articles.search.whoosh.internals.segment_cache import CachedReader, SegmentCache
from articles.search.whoosh.schema import FACET_SEPARATOR

FACET_LIMIT = 12
_COLUMNS = {
    "type": "type",
    "release": "release",
    "section": "section",
    "author": "author_facet",
    "year": "year",
}
_values_cache: SegmentCache[Sequence[Any]] = SegmentCache(size=256)
_order_cache: SegmentCache[tuple[array[int], array[int]]] = SegmentCache(size=64)


class ColumnsReader(CachedReader, Protocol):
    """What this module asks of a segment reader: its per-document columns."""

    def has_column(self, fieldname: str) -> bool: ...
    def column_reader(self, fieldname: str) -> Iterable[Any]: ...


def _values(reader: ColumnsReader, column: str) -> Sequence[Any]:
    return _values_cache.get(reader, column, lambda: _decoded(reader, column))


def _decoded(reader: ColumnsReader, column: str) -> list[Any]:
    interned: dict[Any, Any] = {}
    values: list[Any] = []
    if reader.has_column(column):
        took_fast("facet_columns")
        for raw in reader.column_reader(column):
            if column == "author_facet":
                value: Any = tuple(raw.decode("utf-8").split(FACET_SEPARATOR)) if raw else ()
            else:
                value = raw
            values.append(interned.setdefault(value, value))
    return values


def _release_order(value: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in value.split("."))


def _top(counter: Counter[str], name: str) -> tuple[FacetValue, ...]:
    """The most frequent values; releases and years then read newest first."""
    # The first FACET_LIMIT without sorting them all: a common word's comments have
    # thousands of authors (13 ms a search to sort at full size).
    items = heapq.nsmallest(
        FACET_LIMIT,
        ((value, n) for value, n in counter.items() if value),
        key=lambda item: (-item[1], item[0]),
    )
    if name == "release":
        items.sort(key=lambda item: _release_order(item[0]), reverse=True)
    elif name == "year":
        items.sort(reverse=True)
    return tuple(FacetValue(value, n) for value, n in items)


@dataclass(frozen=True, slots=True)
class ColumnRange:
    """``low <= value <= high`` on a numeric column; documents without a value fail."""

    column: str  # day or release_key
    low: int
    high: int


def _by_value(reader: ColumnsReader, column: str) -> tuple[array[int], array[int]]:
    """A range column's values in order, and the documents that hold them (kept per segment:
    a range is then two bisections and a slice, not a test of every document). 32-bit:
    days, release keys and document numbers all fit; 8 bytes a document for both."""

    def load() -> tuple[array[int], array[int]]:
        values = _values(reader, column)
        docs = sorted(range(len(values)), key=values.__getitem__)
        return array("i", (values[d] for d in docs)), array("i", docs)

    return _order_cache.get(reader, column, load)


def _within(reader: ColumnsReader, column_range: ColumnRange) -> array[int]:
    """The documents (deleted ones too) whose value falls within ``column_range``."""
    keys, docs = _by_value(reader, column_range.column)
    return docs[bisect_left(keys, column_range.low) : bisect_right(keys, column_range.high)]


def latest(reader: ColumnsReader, docs: Collection[int], limit: int) -> list[tuple[int, int]]:
    """Up to ``limit`` of ``docs`` with the latest ``day``, as (day, document), latest
    first and, on one day, the higher number first (whoosh's reversed sort).

    From the segment's documents in order of day, newest first, the first ``limit`` that
    are in ``docs``: a few hundred set lookups for a common word, where sorting its
    matches by day read a sort key for each of them (143,372 for ``kernel`` at full
    size). For a few matches, those are sorted instead.
    """
    keys, order = _by_value(reader, "day")
    if len(docs) * 32 < len(order) or not order:  # no order: no text of the segment dated
        values = _values(reader, "day")
        return heapq.nlargest(limit, ((values[d] if values else 0, d) for d in docs))
    found: list[tuple[int, int]] = []
    for at in range(len(order) - 1, -1, -1):
        if order[at] in docs:
            found.append((keys[at], order[at]))
            if len(found) == limit:
                break
    return found


def passing(reader: ColumnsReader, ranges: Sequence[ColumnRange]) -> set[int]:
    """The documents (deleted ones too) within every one of ``ranges`` (at least one)."""
    narrowest, *others = sorted((_within(reader, r) for r in ranges), key=len)
    docs = set(narrowest)
    for within in others:
        docs.intersection_update(within)
    return docs


# Fields whose terms are one value per document, each also a column of that value.
FACET_FIELDS = frozenset({"type", "release", "section"})


def having(reader: ColumnsReader, docs: set[int], field: str, value: Any) -> set[int]:
    """The documents of ``docs`` whose ``field`` (one of ``FACET_FIELDS``) is ``value``,
    tested on its column (for a few documents, cheaper than reading the term's
    postings: ``type:comment`` has one for every comment)."""
    values = _values(reader, field)
    return {d for d in docs if values[d] == value} if values else set()


def _getter(docs: Collection[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """``values`` to the values of ``docs`` (at least one), as a tuple."""
    if len(docs) == 1:
        (only,) = docs
        return lambda values: (values[only],)
    return itemgetter(*docs)


def count_and_facets(
    segments: Iterable[tuple[ColumnsReader, Collection[int]]], *, facets: bool = True
) -> tuple[int, Facets]:
    """How many documents matched, and their facet counts, from (reader, docs) per segment."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in _COLUMNS}
    total = 0
    for reader, docs in segments:
        total += len(docs)
        if not facets or not docs:
            continue
        # One getter of the matches' values for every column: itemgetter reads them in
        # one C loop (a common word's 143,372 matches, five columns).
        of_docs = _getter(docs)
        for name, column in _COLUMNS.items():
            values = _values(reader, column)
            if not values:
                continue
            if name == "author":  # each a tuple of names
                counters[name].update(chain.from_iterable(of_docs(values)))
            else:
                counters[name].update(of_docs(values))
    return total, Facets(**{name: _top(c, name) for name, c in counters.items()})
