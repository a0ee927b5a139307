"""The lean codec writes whoosh's bytes with less memory per term and per document.

A rebuild's term index holds every term of the archive (each document's key is
one); whoosh kept a tuple per term until the end, and two numbers per document in
each column of variable-length values, which made the rebuild's peak grow with the
archive (docs/performance.md, "The rebuild's memory").
"""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from articles import search
from articles.search.whoosh import codec, index
from tests.search.conftest import ANONYMOUS
from tests.search.whoosh.test_index import docs

pytestmark = pytest.mark.whoosh_only

TERMS = 50_000


def _keys(n: int) -> list[bytes]:
    # Sorted, as a term index is written: field number, then the term's bytes.
    return sorted(f"article:{i}".encode() for i in range(n))


def _write(storage: Any, name: str, writer_class: Callable[[Any], Any], keys: list[bytes]) -> int:
    """Bytes the writer held when all ``keys`` were added (before it wrote its tables)."""
    writer = writer_class(storage.create_file(name))
    tracemalloc.start()
    try:
        for key in keys:
            writer.add(key, b"\x01\x02\x03")
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    writer.close()
    return held


@pytest.fixture
def storage(tmp_path: Path) -> Any:
    _, ix = index._new_generation(tmp_path)
    return ix.storage


def test_it_writes_the_same_term_index_as_whoosh(storage: Any, tmp_path: Path) -> None:
    keys = _keys(TERMS)
    _write(storage, "stock.trm", codec.filetables.OrderedHashWriter, keys)
    _write(storage, "lean.trm", codec.LeanOrderedHashWriter, keys)
    (generation,) = tmp_path.glob("gen-*")
    stock = (generation / "stock.trm").read_bytes()
    assert len(stock) > TERMS * 16
    assert (generation / "lean.trm").read_bytes() == stock


def test_it_holds_a_tenth_of_the_memory_per_term(storage: Any) -> None:
    keys = _keys(TERMS)
    stock = _write(storage, "stock.trm", codec.filetables.OrderedHashWriter, keys)
    lean = _write(storage, "lean.trm", codec.LeanOrderedHashWriter, keys)
    assert stock / TERMS > 100  # a (hash, position) tuple and two ints per term
    assert lean / TERMS < 30  # 8 bytes in two arrays, the index's 4, growth slack
    assert lean * 4 < stock


class _FarFile:
    """A file whose writes start just under 4 GB: positions past it need 64 bits."""

    def __init__(self) -> None:
        self.data = bytearray()

    def tell(self) -> int:
        return 2**32 - 1_000 + len(self.data)

    def write(self, b: bytes) -> None:
        self.data += b

    def write_byte(self, n: int) -> None:
        self.data.append(n)

    def write_int(self, n: int) -> None:
        self.data += n.to_bytes(4, "big", signed=True)

    def write_pickle(self, obj: Any) -> None:
        self.data += repr(obj).encode()

    def write_array(self, arr: Any) -> None:
        self.data += arr.tobytes()

    def close(self) -> None:
        pass


def test_it_writes_positions_past_4_gb_as_whoosh(storage: Any) -> None:
    files = []
    for writer_class in (codec.filetables.OrderedHashWriter, codec.LeanOrderedHashWriter):
        far = _FarFile()
        writer = writer_class(far)
        for key in _keys(2_000):  # about 20 bytes each: the last thousand start past 4 GB
            writer.add(key, b"\x01\x02\x03")
        if writer_class is codec.LeanOrderedHashWriter:
            assert {p.typecode for _, p in writer.buckets} == {"q"}  # each widened once
        writer.close()
        files.append(bytes(far.data))
    stock, lean = files
    assert lean == stock


def test_it_refuses_keys_out_of_order(storage: Any) -> None:
    writer = codec.LeanOrderedHashWriter(storage.create_file("x.trm"))
    writer.add(b"b", b"")
    with pytest.raises(ValueError, match="Keys must increase"):
        writer.add(b"a", b"")


Doc = tuple[dict[str, Any], dict[str, bytes]]  # stored fields, column values


def _columns(storage: Any, codec_class: Any, name: str, docs: list[Doc]) -> dict[str, bytes]:
    """The column files a segment's per-document writer wrote for ``docs``."""
    segment = codec.W3Segment(codec.W3Codec(), name, segid="s")
    writer = codec_class().per_document_writer(storage, segment)
    kinds = {"kind": codec.VarBytesColumn(), "blob": codec.CompressedBytesColumn()}
    for docnum, (stored, values) in enumerate(docs):
        writer.start_doc(docnum)
        for field, value in stored.items():
            writer.add_field(field, None, value, 0)
        for field, value in values.items():
            writer.add_column_value(field, kinds[field], value)
        writer.finish_doc()
    writer.close()
    prefix = f"{name}_s."
    return {
        f.removeprefix(prefix): storage.open_file(f).read()
        for f in storage.list()
        if f.startswith(prefix)
    }


def _docs(count: int, *, seed: int, with_value: Callable[[int], bool]) -> list[Doc]:
    rng = random.Random(seed)
    docs: list[Doc] = []
    for n in range(count):
        values = {}
        if with_value(n):
            values["kind"] = rng.choice([b"article", b"comment", b"merge", b""])
            values["blob"] = rng.randbytes(rng.randrange(0, 40))
        docs.append(({"key": f"comment:{n}", "n": n} if n % 7 else {}, values))
    return docs


@pytest.mark.parametrize(
    ("count", "with_value"),
    [
        # Over whoosh's 32,768 rows, offsets are written; gaps inside and at the end.
        (40_000, lambda n: n % 5 != 3 and n < 39_000),
        (200, lambda n: n % 2 == 0),  # small: the lengths only
        (33_000, lambda n: False),  # no value at all
        # The values end after 100 documents: whoosh filled the other 32,900 in at the
        # end, and as that widened the offsets' type, it wrote them without the fill.
        (33_000, lambda n: n < 100),
    ],
)
def test_it_writes_the_same_columns_as_whoosh(
    storage: Any, count: int, with_value: Callable[[int], bool]
) -> None:
    docs = _docs(count, seed=count, with_value=with_value)
    if count == 33_000 and with_value(0):
        docs[99][1]["blob"] = random.Random(1).randbytes(70_000)  # past 65,535 bytes
    stock = _columns(storage, codec.W3Codec, "stock", docs)
    lean = _columns(storage, codec.LeanW3Codec, "lean", docs)
    assert set(stock) == {"_stored.col", "kind.col", "blob.col"} or not with_value(0)
    assert lean == stock


def test_it_holds_no_offset_per_document(storage: Any) -> None:
    docs = _docs(40_000, seed=7, with_value=lambda n: True)

    def held(codec_class: Any, name: str) -> int:
        segment = codec.W3Segment(codec.W3Codec(), name, segid="s")
        writer = codec_class().per_document_writer(storage, segment)
        column = codec.VarBytesColumn()
        tracemalloc.start()
        try:
            for docnum, (_stored, values) in enumerate(docs):
                writer.start_doc(docnum)
                writer.add_column_value("kind", column, values["kind"])
                writer.finish_doc()
            found = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        writer.close()
        return found

    stock, lean = held(codec.W3Codec, "stock"), held(codec.LeanW3Codec, "lean")
    # A length (one byte here) and a four-byte offset per document, against the length.
    assert (stock - lean) / len(docs) > 3.5
    assert lean / len(docs) < 2.5


@pytest.mark.django_db
def test_it_builds_an_index_plain_whoosh_reads(
    tmp_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added: list[bytes] = []
    add = codec.LeanOrderedHashWriter.add

    def counted(self: Any, key: bytes, value: bytes) -> None:
        added.append(key)
        add(self, key, value)

    monkeypatch.setattr(codec.LeanOrderedHashWriter, "add", counted)
    search.index_rebuild(documents=docs(300, word="lean"))
    assert len(added) > 300  # the rebuild's terms went through the lean writer
    ix = index.open_index()
    (segment,) = ix._segments()
    # The table of contents names whoosh's own codec, not this module's.
    assert type(segment.codec()) is codec.W3Codec
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 300
        assert searcher.reader().doc_frequency("body", "lean") == 300
    assert search.archive_search(query="lean", user=ANONYMOUS, facets=False).count == 300
