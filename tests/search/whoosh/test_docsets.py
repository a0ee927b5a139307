"""The set-based match counting agrees with whoosh's own matchers, deletions included."""

from __future__ import annotations

import datetime as dt

import pytest

from articles import search
from articles.search.query import parse_query
from articles.search.whoosh.index import open_searcher
from articles.search.whoosh.internals import postings
from articles.search.whoosh.internals.docsets import docset
from articles.search.whoosh.plan import Access, plan_search
from tests.search.conftest import SUBSCRIBER as ANYONE
from tests.search.oracle import phrase_occurs
from tests.search.whoosh.spies import block_reads
from tests.search.whoosh.test_index import docs

# Set operations over whoosh postings (the postgres side is tested in test_phrases).
pytestmark = pytest.mark.whoosh_only

QUERIES = [
    "common",
    "note number",
    "common -note",
    "notes OR number",
    "nu*",
    "CAP_BPF",
    '"common note"',
    "title:note common",
    "type:comment",
    "-common type:comment",
]


@pytest.fixture
def index_with_deletions() -> None:
    corpus = docs(60)
    for doc in corpus[::3]:
        doc["body"] += " CAP_BPF"
    search.index_add_documents(corpus[:40])
    search.index_add_documents(corpus[20:])  # replaces 20..39: deleted documents remain
    search.index_add_documents(docs(5, word="other", start=100))


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("can_read", [True, False])
def test_it_counts_what_the_matchers_match(
    index_with_deletions: None, text: str, can_read: bool
) -> None:
    access = Access(can_read=can_read, today=dt.date.today())
    plan = plan_search(parse_query(text), search.SearchFilters(), access)
    with open_searcher() as searcher:
        leaves = searcher.leaf_searchers()
        assert any(leaf.reader().has_deletions() for leaf, _ in leaves)
        for leaf, _offset in leaves:
            assert docset(plan.query, leaf) == set(plan.query.docs(leaf))


@pytest.mark.parametrize("phrase", ["common note", "note number", "a common note number"])
def test_it_finds_phrases_where_the_text_has_them(phrase: str) -> None:
    corpus = docs(40)
    for doc in corpus[::4]:
        doc["body"] = f"Number {doc['pk']} is a note, common to all."
    search.index_add_documents(corpus[:30])
    search.index_add_documents(corpus[10:])  # leaves deleted documents behind
    expected = {
        doc["pk"] for doc in corpus if phrase_occurs(doc["title"] + " " + doc["body"], phrase)
    }
    assert 0 < len(expected) < len(corpus)
    results = search.archive_search(query=f'"{phrase}"', user=ANYONE, page_size=100)
    assert {hit.id for hit in results.hits} == expected
    assert results.count == len(expected)


def test_it_keeps_stop_word_gaps_in_phrases() -> None:
    search.index_add_documents(
        [
            {"type": "comment", "pk": 1, "title": "t", "body": "the page cache is full"},
            {"type": "comment", "pk": 2, "title": "t", "body": "a page in the cache"},
            {"type": "comment", "pk": 3, "title": "t", "body": "page of cache"},
        ]
    )
    reader = ANYONE

    def ids(query: str) -> set[int]:
        return {h.id for h in search.archive_search(query=query, user=reader).hits}

    assert ids('"page cache"') == {1}
    assert ids('"page of cache"') == {3}
    assert ids('"page in the cache"') == {2}


# "common" is in every document: a dozen posting blocks of 128. The rare word is in a
# few, at both ends of blocks, the first and the last.
RARE = {1, 128, 129, 256, 257, 700, 1500}


def _rare_among_common(sentence: str) -> None:
    """1,500 documents, with ``sentence`` (``{pk}`` filled in) in the ``RARE`` ones."""
    corpus = docs(1500)
    for doc in corpus:
        if doc["pk"] in RARE:
            doc["body"] = sentence.format(pk=doc["pk"])
    search.index_add_documents(corpus)


def test_it_finds_a_rare_phrase_among_many_blocks_of_a_common_word() -> None:
    _rare_among_common("A seldom common note {pk}.")
    rare = RARE
    results = search.archive_search(query='"seldom common"', user=ANYONE, page_size=100)
    assert {hit.id for hit in results.hits} == rare
    assert results.count == len(rare)


def test_it_reads_a_common_first_words_positions_only_where_the_rare_word_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "common" first this time: its positions are read in the rare word's documents
    # only, so the blocks between them are passed over, as when the rare word leads.
    _rare_among_common("A note common seldom {pk}.")
    rare = RARE
    read = block_reads(monkeypatch, "_read_values")
    results = search.archive_search(query='"common seldom"', user=ANYONE, page_size=100)
    assert {hit.id for hit in results.hits} == rare
    assert results.count == len(rare)
    # The rare word's one block, and "common"'s blocks holding a rare document (five of
    # its twelve), whichever word the phrase starts with.
    assert 0 < len(read) <= 1 + len(rare) < 12


@pytest.mark.parametrize("text", ["common", "note -seldom", "common OR seldom", '"seldom common"'])
def test_it_keeps_within_a_search_s_ranges_reading_only_their_blocks(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _rare_among_common("A seldom common note {pk}.")
    plan = plan_search(parse_query(text), search.SearchFilters(), Access(True, dt.date.today()))
    with open_searcher() as searcher:
        (leaf, _offset), *_ = searcher.leaf_searchers()
        whole = docset(plan.query, leaf)
        few = set(range(200, 260))  # a range's documents: far fewer than the segment's
        read = block_reads(monkeypatch, "_read_ids")
        assert docset(plan.query, leaf, within=few) & few == whole & few
        # "common" and "note" are in every one of 1,500 documents, twelve blocks each; the
        # 60 in a row are in two of them (a phrase reads its rare word's block and the
        # common word's where the rare word is, as without ranges).
        assert len(read) < 12
        assert docset(plan.query, leaf, within=set(range(1500))) == whole


def test_it_finds_near_documents_in_every_block_they_fall_in() -> None:
    _rare_among_common("A seldom common note {pk}.")
    with open_searcher() as searcher:
        (leaf, _offset), *_ = searcher.leaf_searchers()
        reader = leaf.reader()
        everything = postings.term_docs(reader, "body", "common")
        for near in ([0], [127, 128], sorted(RARE), [1499], list(range(0, 1500, 97))):
            found = postings.term_docs(reader, "body", "common", near=near)
            assert set(near) & everything <= found <= everything
