""" "Did you mean" walks each segment's words in memory and finds what whoosh's own walk
over the term index finds."""

from __future__ import annotations

import pytest

from articles import search
from articles.search.whoosh.index import open_searcher
from articles.search.whoosh.internals import paths
from articles.search.whoosh.internals.vocabulary import segment_words, words_within
from tests.search.conftest import ANONYMOUS
from tests.search.whoosh.test_index import docs

pytestmark = pytest.mark.whoosh_only

WORDS = ["scheduler", "schedulers", "schedule", "memory", "memoir", "über", "kernel", "kernels"]
TYPED = ["schedular", "kernal", "memroy", "ubre", "über", "jonathan", "k", "zzz", "scheduler"]


@pytest.fixture
def two_segments() -> None:
    corpus = docs(40)
    for number, doc in enumerate(corpus):
        doc["body"] += " " + " ".join(WORDS[: number % len(WORDS) + 1])
    search.index_add_documents(corpus[:25])
    search.index_add_documents(corpus[25:])


@pytest.mark.parametrize("typed", TYPED)
@pytest.mark.parametrize("maxdist", [1, 2])
def test_it_finds_the_words_whooshs_walk_finds(
    two_segments: None, typed: str, maxdist: int
) -> None:
    paths.reset()
    with open_searcher() as searcher:
        leaves = searcher.leaf_searchers()
        assert len(leaves) == 2
        for leaf, _offset in leaves:
            reader = leaf.reader()
            expected = sorted(reader.terms_within("vocab", typed, maxdist, prefix=1))
            assert words_within(reader, "vocab", typed, maxdist, 1) == expected
    assert paths.FALLBACK["vocabulary"] == 0


def test_it_keeps_a_segments_words_in_the_index_s_order(two_segments: None) -> None:
    with open_searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            words = segment_words(reader, "vocab")
            assert words == [text.decode("utf-8") for text in reader.lexicon("vocab")]
            assert "über" in words


def test_it_suggests_the_closest_word_from_memory(two_segments: None) -> None:
    results = search.archive_search(query="schedular", user=ANONYMOUS)
    assert results.suggestion == "scheduler"
