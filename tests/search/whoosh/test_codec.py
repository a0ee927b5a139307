"""The lean term index writes whoosh's bytes with a tenth of the memory per term.

A rebuild's term index holds every term of the archive (each document's key is
one); whoosh kept a tuple per term until the end, which made the rebuild's peak
grow with the archive (docs/performance.md, "The rebuild's memory").
"""

from __future__ import annotations

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
    assert lean / TERMS < 30  # 12 bytes in two arrays, the index's 8, growth slack
    assert lean * 4 < stock


def test_it_refuses_keys_out_of_order(storage: Any) -> None:
    writer = codec.LeanOrderedHashWriter(storage.create_file("x.trm"))
    writer.add(b"b", b"")
    with pytest.raises(ValueError, match="Keys must increase"):
        writer.add(b"a", b"")


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
