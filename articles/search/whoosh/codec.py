"""whoosh's W3 codec, with a term index that holds its hash table in arrays while written.

A segment's term index (``.trm``) is a CDB-style hash file: whoosh's ``HashWriter``
remembers a ``(hash, position)`` tuple for every term until it writes the table at the
end, about 120 bytes a term in Python objects. A rebuild writes one segment holding
every term of the archive (each document's unique ``key`` is one), so at full size
(about 1.4 million terms) those tuples alone took some 170 MB at the rebuild's peak,
the memory that grew with the archive. Two arrays per bucket take 12 bytes a term.

The bytes written are whoosh's own (``tests/search/whoosh/test_codec.py`` compares
the files), and the segments name the stock ``W3Codec``, so an index written here is
read, updated and merged by plain whoosh, and one written before reads the same.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3Segment
from whoosh.filedb import filetables

_LENGTHS = filetables._lengths  # the (key length, value length) header of an entry
_POINTER = filetables._pointer  # a slot of a bucket's table: (hash, position)


class LeanOrderedHashWriter(filetables.OrderedHashWriter):
    """``OrderedHashWriter`` with each bucket's hashes and positions in two arrays."""

    def __init__(self, dbfile: Any) -> None:
        super().__init__(dbfile)
        self.buckets: list[tuple[array[int], array[int]]] = [
            (array("I"), array("q")) for _ in range(256)
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
        hashes, positions = self.buckets[hashval & 255]
        hashes.append(hashval)
        positions.append(position)
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


class LeanW3Codec(W3Codec):
    """Writes W3 segments with ``LeanOrderedHashWriter``; the segments name ``W3Codec``."""

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _LeanFieldWriter(self, storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> Any:
        # The segment is pickled into the index's table of contents with its codec:
        # the stock one, so nothing of this module is needed to read the index.
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


__all__ = ["LeanOrderedHashWriter", "LeanW3Codec"]
