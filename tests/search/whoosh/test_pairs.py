"""Phrases with a common word read the index's pairs of neighbours, with the same answers."""

from __future__ import annotations

import random

import pytest

from articles import search
from articles.search.analysis import COMMON_WORDS, PAIRS, PROSE, prose_phrase
from articles.search.documents import IndexDocument
from articles.search.whoosh.index import open_searcher
from articles.search.whoosh.internals.phrases import lookups, phrase_matches
from articles.search.whoosh.schema import PAIRS_FIELD
from tests.search.conftest import SUBSCRIBER
from tests.search.oracle import phrase_occurs
from tests.search.whoosh.spies import block_reads
from tests.search.whoosh.test_index import docs

pytestmark = pytest.mark.whoosh_only


def pairs(text: str) -> list[tuple[str, int]]:
    return [(token.text, token.pos) for token in PAIRS(text, positions=True, mode="index")]


def stem(word: str) -> str:
    (token,) = PROSE(word)
    return str(token.text)


def test_it_pairs_neighbours_where_one_of_them_is_common() -> None:
    page, cache, full, data = (stem(w) for w in ("page", "cache", "full", "data"))
    assert {page, cache, data} <= COMMON_WORDS
    assert full not in COMMON_WORDS
    # "is" and "of" are stop words: they keep their places, so nothing pairs across them.
    assert pairs("The page cache is full of data") == [(f"{page} {cache}", 1)]
    assert pairs("page cache full data") == [
        (f"{page} {cache}", 0),
        (f"{cache} {full}", 1),
        (f"{full} {data}", 2),
    ]
    assert pairs("seldom lonely words here") == []


def test_it_pairs_every_word_a_name_is_indexed_as() -> None:
    # vm.swappiness is indexed whole and as its parts, all at one position.
    at_zero = {text for text, pos in pairs("vm.swappiness change") if pos == 0}
    words = {token.text for token in PROSE("vm.swappiness", mode="index")}
    assert len(words) == 3
    assert at_zero == {f"{word} {stem('change')}" for word in words}


WORDS = ["page", "cache", "change", "seldom", "lonely", "memory", "the", "of", "vm.swappiness"]


def _corpus(n: int, seed: int) -> list[IndexDocument]:
    rng = random.Random(seed)
    return [
        IndexDocument(
            type="comment",
            pk=pk,
            title=" ".join(rng.choices(WORDS, k=2)),
            body=" ".join(rng.choices(WORDS, k=rng.randint(3, 40))),
        )
        for pk in range(1, n + 1)
    ]


def _phrases(corpus: list[IndexDocument], seed: int) -> list[str]:
    """Windows of the corpus's own texts, and made-up word runs, two to four words long."""
    rng = random.Random(seed)
    found = []
    for doc in rng.sample(corpus, 30):
        words = doc["body"].split()
        start = rng.randrange(len(words))
        found.append(" ".join(words[start : start + rng.randint(2, 4)]))
    found += [" ".join(rng.choices(WORDS, k=rng.randint(2, 4))) for _ in range(30)]
    return [p for p in found if len(prose_phrase(p)) > 1]


def test_it_finds_each_phrase_as_often_through_pairs_as_through_its_words() -> None:
    corpus = _corpus(400, seed=7)
    search.index_add_documents(corpus[:250])
    search.index_add_documents(corpus[200:])  # deleted documents remain in a segment
    phrases = _phrases(corpus, seed=8)
    used_pairs = 0
    with open_searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            for phrase in phrases:
                terms = prose_phrase(phrase)
                paired = lookups("body", terms, pairs=PAIRS_FIELD)
                used_pairs += any(field == PAIRS_FIELD for field, _, _ in paired)
                plain = phrase_matches(reader, lookups("body", terms))
                assert phrase_matches(reader, paired) == plain, phrase
    assert used_pairs > len(phrases)  # most phrases have a common word, in both segments


def test_it_answers_phrase_searches_as_the_text_reads() -> None:
    corpus = _corpus(200, seed=11)
    search.index_add_documents(corpus)
    for phrase in _phrases(corpus, seed=12)[:20]:
        expected = {
            doc["pk"] for doc in corpus if phrase_occurs(f"{doc['title']} {doc['body']}", phrase)
        }
        assert len(expected) <= 100  # all on one page
        results = search.archive_search(query=f'"{phrase}"', user=SUBSCRIBER, page_size=100)
        assert {hit.id for hit in results.hits} == expected, phrase
        assert results.count == len(expected)


# "change" is in each of 1,500 documents (twelve posting blocks), "seldom" in seven.
RARE = {1, 128, 129, 256, 700, 1400, 1500}


def test_it_reads_the_pairs_block_and_no_block_of_the_common_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = docs(1500, word="change")
    for doc in corpus:
        if doc["pk"] in RARE:
            doc["body"] = f"A seldom change note {doc['pk']}."
    search.index_add_documents(corpus)
    read = block_reads(monkeypatch, "_read_values")
    results = search.archive_search(query='"seldom change"', user=SUBSCRIBER, page_size=100)
    assert {hit.id for hit in results.hits} == RARE
    # The pair's one block; without pairs, "seldom"'s and the five of "change" holding it.
    assert len(read) == 1
