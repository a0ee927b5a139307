"""Document field lengths for scoring, read once per segment instead of once per match.

whoosh's BM25F asks the segment for a document's field length every time it
scores a match, a read of the segment's lengths column per document and field;
on a broad query that is a large share of the search. A segment never changes
once written, so each field's lengths are decoded once (from the per-document
reader's private column, in one read), kept per segment as ``facet_columns``
keeps facet values, and looked up by document number. The formula and the
scores are whoosh's own.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any, Protocol

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

from articles.search.whoosh.internals.paths import took_fallback, took_fast
from articles.search.whoosh.internals.segment_cache import CachedReader, SegmentCache

_BYTE_TO_LENGTH = [byte_to_length(b) for b in range(256)]
# (segment, field) pairs: a field's lengths cost 4 bytes a document.
_lengths_cache: SegmentCache[array[int] | None] = SegmentCache(size=256)


class ColumnReader(Protocol):
    """whoosh's public column reader: ``load()`` reads each document's value alone."""

    def load(self) -> Any: ...


class PerDocReader(Protocol):
    """A segment's private per-document reader (``SegmentReader._perdoc``)."""

    def has_column(self, fieldname: str) -> bool: ...
    def column_reader(self, fieldname: str, column: Any) -> ColumnReader: ...


class LengthsReader(CachedReader, Protocol):
    """What this module asks of a segment reader (``_perdoc`` is read with getattr)."""

    def doc_count_all(self) -> int: ...
    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int: ...


class DbFile(Protocol):
    def get(self, position: int, length: int) -> bytes: ...


def field_lengths(reader: LengthsReader, field: str) -> array[int] | None:
    """Each document's length in ``field`` (0 where it has none), by document number.

    ``reader`` is one segment's reader; None when the segment keeps no lengths
    for the field (then whoosh's own lookup gives its default).
    """
    return _lengths_cache.get(reader, field, lambda: _decoded(reader, field))


def _decoded(reader: LengthsReader, field: str) -> array[int] | None:
    perdoc: PerDocReader | None = getattr(reader, "_perdoc", None)
    if perdoc is None:
        took_fallback("lengths", "the segment reader has no _perdoc")
        return None
    if not perdoc.has_column(f"_{field}_len"):
        return None  # no document has the field
    took_fast("lengths")
    stored = _stored_bytes(perdoc.column_reader(f"_{field}_len", LENGTHS_COLUMN))
    lengths = array("i", map(_BYTE_TO_LENGTH.__getitem__, stored))
    lengths.extend([0] * (reader.doc_count_all() - len(lengths)))
    return lengths


def _stored_bytes(column: ColumnReader) -> bytes | Any:
    """The column's bytes (one a document) in one read; whoosh's ``load`` reads each alone.

    Reads the column's private file and offsets; falls back to ``load`` for a
    column of another shape.
    """
    dbfile: DbFile | None = getattr(column, "_dbfile", None)
    start: int | None = getattr(column, "_basepos", None)
    count: int | None = getattr(column, "_count", None)
    if dbfile is None or start is None or count is None or getattr(column, "_fixedlen", 0) != 1:
        took_fallback("length_bytes", f"a {type(column).__name__} without one-byte cells")
        return column.load()
    took_fast("length_bytes")
    return dbfile.get(start, count)


def length_lookup(reader: LengthsReader, field: str) -> Callable[[int], int]:
    """Document number to its length in ``field``, as BM25F asks it (1 where it has none)."""
    lengths = field_lengths(reader, field)
    if lengths is None:
        return lambda docnum: int(reader.doc_field_length(docnum, field, 1))
    return lambda docnum: lengths[docnum] or 1


class CachedLengthBM25F(scoring.BM25F):
    """BM25F scoring whose document lengths come from ``field_lengths``."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            took_fast("scorer")
            scorer.dfl = length_lookup(searcher.reader(), fieldname)
        elif searcher.schema[fieldname].scorable:  # unscorable fields take a WeightScorer
            took_fallback("scorer", f"a {type(scorer).__name__}, not a BM25FScorer")
        return scorer
