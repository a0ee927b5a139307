"""Scoring reads each segment's field lengths once: the same lengths whoosh reads per match."""

from __future__ import annotations

from typing import Any

import pytest

from articles import search
from articles.search.documents import IndexDocument
from articles.search.whoosh import index
from articles.search.whoosh.internals import lengths

pytestmark = pytest.mark.whoosh_only


def notes(start: int, n: int) -> list[IndexDocument]:
    # Lengths that differ from note to note, and some notes with no title at all.
    return [
        IndexDocument(
            type="comment",
            pk=i,
            title="" if i % 3 == 0 else f"Note {i}",
            body=" ".join(["kernel"] + ["word"] * (i % 7) + [f"n{i}"]),
        )
        for i in range(start, start + n)
    ]


def scorable(reader: Any) -> list[str]:
    return [name for name, field in reader.schema.items() if field.scorable]


def test_it_reads_each_segments_lengths_as_whoosh_does() -> None:
    search.index_rebuild(documents=notes(1, 30))
    search.index_add_documents(notes(31, 12))  # a second segment, cached on its own
    with index.open_searcher() as searcher:
        readers = [leaf.reader() for leaf, _offset in searcher.leaf_searchers()]
        assert len(readers) == 2
        for reader in readers:
            cached_fields = []
            for field in scorable(reader):
                cached = lengths.field_lengths(reader, field)
                docs = range(reader.doc_count_all())
                if cached is None:  # no document has the field: whoosh gives the default
                    assert all(reader.doc_field_length(doc, field, 7) == 7 for doc in docs)
                    continue
                cached_fields.append(field)
                assert list(cached) == [reader.doc_field_length(doc, field) or 0 for doc in docs]
            assert {"title", "body"} <= set(cached_fields)


def test_it_gives_the_scorer_those_lengths_without_asking_the_segment_again() -> None:
    search.index_rebuild(documents=notes(1, 20))
    with index.open_searcher() as searcher:
        leaf, _offset = searcher.leaf_searchers()[0]
        docs = range(leaf.reader().doc_count_all())
        expected = [leaf.reader().doc_field_length(doc, "body", 1) for doc in docs]
        scorer = lengths.CachedLengthBM25F().scorer(leaf, "body", "kernel")
    # The searcher is closed: whoosh's own per-match lookup would raise now.
    assert [scorer.dfl(doc) for doc in docs] == expected
