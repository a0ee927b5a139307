"""whoosh's W3 codec, with a term index that holds its hash table in arrays while written.

A segment's term index (``.trm``) is a CDB-style hash file: whoosh's ``HashWriter``
remembers a ``(hash, position)`` tuple for every term until it writes the table at the
end, about 120 bytes a term in Python objects. A rebuild writes one segment holding
every term of the archive (each document's unique ``key`` is one), so at full size
(about 1.4 million terms) those tuples alone took some 170 MB at the rebuild's peak,
the memory that grew with the archive. Two arrays per bucket take 8 bytes a term (12 past 4 GB).

The columns of variable-length values (the stored fields, and ``type``, ``section``,
``release``, ``year`` and the authors' facet) held two numbers per document until the
commit: its value's length and where the value starts. The start is the sum of the
lengths before it, so the lean writer holds the lengths only and adds them up when it
writes the column: four bytes a document less for each of the six columns (some 23 MB
at full size, a million documents). A position in the term index takes four bytes
instead of eight while the file is under 4 GB.

The bytes written are whoosh's own (``tests/search/whoosh/test_codec.py`` compares
the files), and the segments name the stock ``W3Codec``, so an index written here is
read, updated and merged by plain whoosh, and one written before reads the same.
"""

from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PerDocWriter, W3Segment
from whoosh.columns import CompressedBytesColumn, VarBytesColumn
from whoosh.filedb import filetables

_LENGTHS = filetables._lengths  # the (key length, value length) header of an entry
_POINTER = filetables._pointer  # a slot of a bucket's table: (hash, position)


class LeanOrderedHashWriter(filetables.OrderedHashWriter):
    """``OrderedHashWriter`` with each bucket's hashes and positions in two arrays."""

    def __init__(self, dbfile: Any) -> None:
        super().__init__(dbfile)
        # Positions as unsigned 32-bit numbers until one is 4 GB or more (then 64-bit).
        self.buckets: list[tuple[array[int], array[int]]] = [
            (array("I"), array("I")) for _ in range(256)
        ]

    def add(self, key: bytes, value: bytes) -> None:
        last: bytes = self.lastkey  # type: ignore[has-type]
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        dbfile = self.dbfile
        position = dbfile.tell()
        self.index.append(position)
        dbfile.write(_LENGTHS.pack(len(key), len(value)))
        dbfile.write(key)
        dbfile.write(value)
        hashval = self.hashfn(key)
        bucket = hashval & 255
        hashes, positions = self.buckets[bucket]
        hashes.append(hashval)
        try:
            positions.append(position)
        except OverflowError:
            positions = array("q", positions)
            positions.append(position)
            self.buckets[bucket] = (hashes, positions)
        self.lastkey = key

    def _write_hashes(self) -> None:
        # HashWriter._write_hashes, slot for slot: open addressing in a table twice the
        # bucket's size, an empty slot written as (0, 0) (no entry starts at 0).
        dbfile = self.dbfile
        for hashes, positions in self.buckets:
            start = dbfile.tell()
            numslots = 2 * len(hashes)
            self.directory.append((start, numslots))
            table_hashes = array("I", bytes(numslots * 4))
            table_positions = array("q", bytes(numslots * 8))
            for hashval, position in zip(hashes, positions, strict=True):
                slot = (hashval >> 8) % numslots
                while table_positions[slot]:
                    slot = (slot + 1) % numslots
                table_hashes[slot] = hashval
                table_positions[slot] = position
            dbfile.write(b"".join(map(_POINTER.pack, table_hashes, table_positions)))


class _LeanFieldWriter(W3FieldWriter):
    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        # W3FieldWriter.__init__ with the lean term index (whoosh-reloaded 2.7.5 is pinned).
        self._codec = codec
        self._storage = storage
        self._segment = segment
        self._fieldname = None
        self._fieldid = None
        self._btext = None
        self._fieldobj = None
        self._format = None
        self._tindex = LeanOrderedHashWriter(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap: dict[str, int] = {}
        self._tindex.extras["fieldmap"] = self._fieldmap
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False


def _typecode(largest: int) -> str:
    # The type whoosh's GrowableArray(allow_longs=False) ends with for values up to
    # ``largest`` (it starts at "B" and widens as a value overflows).
    for code, limit in (("B", 2**8), ("H", 2**16), ("i", 2**31), ("I", 2**32)):
        if largest < limit:
            return code
    raise OverflowError(f"{largest} is too big to fit in an array")


class _NoOffsets:
    """Stands for the offsets whoosh's writer appends to: nothing is held."""

    def append(self, n: int) -> None:
        pass

    def extend(self, ns: Any) -> None:
        for _ in ns:  # whoosh passes a generator: it must run, but holds nothing
            pass


class _DerivedOffsets:
    """``VarBytesColumn.Writer.finish`` with the offsets summed from the lengths.

    Mixed in before whoosh's writer class (``_lean_column``); the rest is whoosh's.
    """

    _dbfile: Any
    _lengths: Any
    _count: int
    allow_offsets: bool
    cutoff: int

    def finish(self, doccount: int) -> None:
        dbfile = self._dbfile
        lengths = self._lengths.array
        # whoosh held each document's offset: the sum of the lengths before it. It took
        # its arrays before filling in the documents after the last value, so a fill
        # that widened the offsets' type wrote the array without them; so here.
        sums = array("q", accumulate(lengths, initial=0))
        base = sums.pop()  # where a value after the last would start
        offsets = array(_typecode(sums[-1] if sums else 0), sums)
        del sums
        missing = doccount - self._count
        if missing > 0 and _typecode(base) == offsets.typecode:
            offsets.extend([base] * missing)
        self.fill(doccount)  # type: ignore[attr-defined]  # whoosh's: the lengths' zeros
        dbfile.write_array(lengths)
        write_offsets = self.allow_offsets and doccount > self.cutoff
        if write_offsets:
            dbfile.write_array(offsets)
        dbfile.write(lengths.typecode.encode("ascii"))
        if write_offsets:
            dbfile.write(offsets.typecode.encode("ascii"))
            dbfile.write(b"X")


_LEAN_WRITERS: dict[type, type] = {
    cls: type(f"Lean{cls.__qualname__.replace('.', '')}", (_DerivedOffsets, cls), {})
    for cls in (VarBytesColumn.Writer, CompressedBytesColumn.Writer)
}


def _lean_column(writer: Any) -> Any:
    """``writer`` holding no offsets, when it is (or wraps, as the stored fields' pickles
    do) a variable-bytes writer; any other column's writer as it is."""
    target = getattr(writer, "_child", writer)
    lean = _LEAN_WRITERS.get(type(target))
    if lean is not None:
        target.__class__ = lean
        target._offsets = _NoOffsets()
    return writer


class _LeanPerDocWriter(W3PerDocWriter):
    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, column)
        _lean_column(self._colwriters[fieldname])


class LeanW3Codec(W3Codec):
    """Writes W3 segments with the lean term index and columns; they name ``W3Codec``."""

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        return _LeanPerDocWriter(self, storage, segment)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _LeanFieldWriter(self, storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> Any:
        # The segment is pickled into the index's table of contents with its codec:
        # the stock one, so nothing of this module is needed to read the index.
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


__all__ = ["LeanOrderedHashWriter", "LeanW3Codec"]
