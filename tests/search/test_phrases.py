"""Phrases and stop words mean the same on both backends, over stored rows."""

from __future__ import annotations

import pytest

from articles import search
from articles.search.documents import IndexDocument
from tests.search.conftest import SUBSCRIBER, store_documents, stored_ids
from tests.search.oracle import phrase_occurs

pytestmark = pytest.mark.django_db


def notes(n: int) -> list[IndexDocument]:
    return [
        IndexDocument(type="comment", pk=i, title=f"Note {i}", body=f"A common note number {i}.")
        for i in range(1, n + 1)
    ]


def ids(query: str) -> set[int]:
    return stored_ids(search.archive_search(query=query, user=SUBSCRIBER, page_size=100))


@pytest.mark.parametrize("phrase", ["common note", "note number", "a common note number"])
def test_it_finds_phrases_where_the_text_has_them(phrase: str) -> None:
    corpus = notes(40)
    for doc in corpus[::4]:
        doc["body"] = f"Number {doc['pk']} is a note, common to all."
    store_documents(corpus)
    expected = {
        doc["pk"] for doc in corpus if phrase_occurs(doc["title"] + " " + doc["body"], phrase)
    }
    assert 0 < len(expected) < len(corpus)
    assert ids(f'"{phrase}"') == expected


def test_it_keeps_stop_word_gaps_in_phrases() -> None:
    store_documents(
        [
            IndexDocument(type="comment", pk=1, title="t", body="the page cache is full"),
            IndexDocument(type="comment", pk=2, title="t", body="a page in the cache"),
            IndexDocument(type="comment", pk=3, title="t", body="page of cache"),
        ]
    )
    assert ids('"page cache"') == {1}
    assert ids('"page of cache"') == {3}
    assert ids('"page in the cache"') == {2}
    assert ids("page cache") == {1, 2, 3}


def test_it_drops_stop_words_from_queries_but_not_the_other_words() -> None:
    store_documents(
        [
            IndexDocument(type="comment", pk=1, title="t", body="the writeback path"),
            IndexDocument(type="comment", pk=2, title="t", body="a reclaim path"),
        ]
    )
    assert ids("the writeback") == {1}
    assert ids("path -the") == {1, 2}  # excluding a stop word excludes nothing
    with pytest.raises(search.SearchError, match="too common"):
        ids("the of")
