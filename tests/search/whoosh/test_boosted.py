"""An identifier or a phrase and its title boost rank in one pass as whoosh's AndMaybe
ranks them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from articles import search
from articles.search.documents import IndexDocument
from articles.search.query import parse_query
from articles.search.whoosh import index
from articles.search.whoosh.compile import compile_positive
from articles.search.whoosh.internals import prefixes
from articles.search.whoosh.internals.boosted import TitleBoosted
from articles.search.whoosh.internals.collect import ListTopCollector
from articles.search.whoosh.internals.phrases import VerifiedPhrase
from tests.search.conftest import ANONYMOUS, SUBSCRIBER
from tests.search.whoosh.spies import block_reads

pytestmark = pytest.mark.whoosh_only

FILLER = ["memory", "scheduler", "driver", "patch", "review"]


def notes(start: int, n: int) -> list[IndexDocument]:
    """Texts of different lengths naming CAP_BPF once or more; some titles name it too,
    and a few texts of the newest week are still locked."""
    today = dt.date.today()
    found: list[IndexDocument] = []
    for i in range(start, start + n):
        words = [FILLER[j % len(FILLER)] for j in range(i % 7 + i % 11)]
        words += ["CAP_BPF"] * (1 + i % 3) if i % 4 else ["CAP_SYS_ADMIN"]
        found.append(
            IndexDocument(
                type="article",
                pk=i,
                title=f"CAP_BPF note {i}" if i % 5 == 0 else f"Note {i}",
                body=" ".join(words),
                date=today,
                subscriber_only=i % 9 == 0,
                free_on=today + dt.timedelta(days=7) if i % 9 == 0 else None,
            )
        )
    return found


class StockBoost(TitleBoosted):
    """The same query through whoosh's AndMaybe matcher, for comparison."""

    ONE_PASS = False


def ranked(query: Any) -> list[tuple[int, float]]:
    with index.open_searcher() as searcher:
        return [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]


def test_it_ranks_and_scores_an_identifier_as_whooshs_and_maybe() -> None:
    search.index_rebuild(documents=notes(1, 300))
    search.index_add_documents(notes(301, 40))  # a second segment
    search.index_add_documents(notes(20, 10))  # replaced: deletions in the first
    compiled = compile_positive(parse_query("CAP_BPF"))
    fast = ranked(compiled)
    stock = ranked(StockBoost(compiled.a, compiled.b))  # whoosh's AndMaybe matcher
    assert len(fast) > 200
    assert len({score for _, score in fast}) > 5  # counts and titles make scores differ
    assert fast == stock


def test_it_compiles_every_search_to_one_title_boost() -> None:
    compiled = compile_positive(parse_query("CAP_BPF"))
    assert isinstance(compiled, TitleBoosted)
    assert (compiled.a.fieldname, compiled.a.text) == ("ident", "cap_bpf")
    assert (compiled.b.fieldname, compiled.b.text) == ("title_ident", "cap_bpf")


def test_it_scores_identifiers_in_one_pass_and_leaves_prose_to_whoosh() -> None:
    search.index_rebuild(documents=notes(1, 300))
    with index.open_searcher() as searcher:
        leaf, _offset = searcher.leaf_searchers()[0]
        identifier = compile_positive(parse_query("CAP_BPF")).matcher(leaf)
        prose = compile_positive(parse_query("memory")).matcher(leaf)
        assert isinstance(identifier, prefixes.ScoredList)
        assert not isinstance(prose, prefixes.ScoredList)


@pytest.mark.parametrize("reader", [SUBSCRIBER, ANONYMOUS], ids=["subscriber", "anonymous"])
def test_it_pages_through_the_whole_ranking_for_every_reader(
    monkeypatch: pytest.MonkeyPatch, reader: Any
) -> None:
    search.index_rebuild(documents=notes(1, 120))

    def hits(size: int = 100, page: int = 1) -> list[tuple[int, float | None, bool]]:
        found = search.archive_search(query="CAP_BPF", user=reader, page_size=size, page=page)
        return [(hit.id, hit.score, hit.locked) for hit in found.hits]

    whole = hits()
    assert 60 < len(whole) < 100
    for size, page in ((3, 1), (3, 2), (5, 3), (20, 2)):
        start = (page - 1) * size
        assert hits(size, page) == whole[start : start + size], (size, page)
    monkeypatch.setattr(TitleBoosted, "ONE_PASS", False)
    assert hits() == whole


def test_it_decodes_a_words_list_once_for_the_count_and_the_ranking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CAP_BPF in 450 texts and 120 titles, 480 documents in all: four blocks of 128.
    search.index_rebuild(documents=notes(1, 600))
    read = block_reads(monkeypatch, "_read_ids")
    found = search.archive_search(query="CAP_BPF", user=SUBSCRIBER)
    assert found.count == 480
    title_blocks = 1  # 120 titles name it
    assert len(read) == 4 + title_blocks


@pytest.mark.parametrize("limit", [1, 3, 20, 500])
def test_it_takes_a_scored_lists_top_as_whooshs_collector_does(limit: int) -> None:
    search.index_rebuild(documents=notes(1, 300))  # seven distinct scores: many ties
    search.index_add_documents(notes(301, 40))  # a second segment
    query = compile_positive(parse_query("CAP_BPF"))
    with index.open_searcher() as searcher:
        collector = ListTopCollector(limit=limit)
        searcher.search_with_collector(query, collector)
        taken = [(hit.docnum, hit.score) for hit in collector.results()]
        stock = searcher.search(query, limit=limit)  # whoosh's TopCollector
        assert taken == [(hit.docnum, hit.score) for hit in stock]
        assert len(taken) == min(limit, len(ranked(query)))


PHRASE_TITLES = {
    # Each title names some of the phrase's words: whoosh's And of the three title words
    # matches the first, and sums the words' scores in a tree its sizes decide.
    "mixed": [
        "Significant changes pulled {i}",
        "Changes pulled {i}",
        "Significant pull {i}",
        "Note {i}",
    ],
    # Every title names all three or none: equal sizes, so ties decide the tree.
    "tied": ["Significant changes pulled {i}", "Note {i}", "Note {i}", "Note {i}"],
}


def phrase_notes(start: int, n: int, titles: list[str]) -> list[IndexDocument]:
    """Texts of different lengths, most with the phrase "significant changes pulled" once
    or twice, some with its words in another order only."""
    today = dt.date.today()
    found: list[IndexDocument] = []
    for i in range(start, start + n):
        words = [FILLER[j % len(FILLER)] for j in range(i % 7 + i % 11)]
        if i % 5:
            words += ["significant changes pulled"] * (1 + i % 2)
        else:
            words += ["pulled significant changes"]
        found.append(
            IndexDocument(
                type="article",
                pk=i,
                title=titles[i % len(titles)].format(i=i) + " review" * (i % 13),
                body=" ".join(words),
                date=today,
            )
        )
    return found


@pytest.mark.parametrize("titles", sorted(PHRASE_TITLES))
def test_it_ranks_and_scores_a_phrase_as_whooshs_and_maybe(titles: str) -> None:
    search.index_rebuild(documents=phrase_notes(1, 300, PHRASE_TITLES[titles]))
    search.index_add_documents(phrase_notes(301, 40, PHRASE_TITLES[titles]))  # a second segment
    search.index_add_documents(phrase_notes(20, 10, PHRASE_TITLES[titles]))  # replaced
    compiled = compile_positive(parse_query('"significant changes pulled"'))
    assert isinstance(compiled.a, VerifiedPhrase)
    fast = ranked(compiled)
    stock = ranked(StockBoost(compiled.a, compiled.b))
    assert len(fast) == 272 + 17  # four texts in five of 340, and one title in four of the rest
    assert len({score for _, score in fast}) > 10  # counts, lengths and titles differ
    assert fast == stock


def test_it_scores_a_phrase_in_one_pass() -> None:
    search.index_rebuild(documents=phrase_notes(1, 300, PHRASE_TITLES["mixed"]))
    with index.open_searcher() as searcher:
        leaf, _offset = searcher.leaf_searchers()[0]
        phrase = compile_positive(parse_query('"significant changes pulled"')).matcher(leaf)
        assert isinstance(phrase, prefixes.ScoredList)


def test_it_reads_the_title_words_only_in_the_blocks_the_phrase_matched_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each title names one of the three words: each word's 400 titles fill four blocks of
    # 128, and no title has all three (whoosh's And would walk every block to find so).
    # The phrase is in texts of the first 100 documents, all in each word's first block.
    titles = ["Significant note {i}", "Changes note {i}", "Pulled note {i}"]
    documents = phrase_notes(1, 1200, titles)
    for doc in documents[100:]:
        doc["body"] = "memory scheduler driver"
    search.index_rebuild(documents=documents)
    read = block_reads(monkeypatch, "_read_ids")
    found = ranked(compile_positive(parse_query('"significant changes pulled"')))
    assert len(found) == 80
    assert [field for field, _text in read].count("title") == 3
