"""The era corpus: every fixture page against its ``.expected.json``, and the matcher's rules.

Adding a page to ``tests/fixtures/lwn/`` is adding two files; the format is described
in ``tests/lwn/corpus.py`` and in the fixtures' README.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from tests.lwn.corpus import (
    FIXTURES_DIR,
    CorpusPage,
    corpus_pages,
    expectation_errors,
    load_expectation,
    orphan_expectations,
    page_errors,
)
from tests.lwn.pagebuilder import page_bytes

PAGES = corpus_pages()


def test_it_finds_the_corpus() -> None:
    assert len(PAGES) >= 7
    assert all(page.path.parent == FIXTURES_DIR for page in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_it_parses_each_page_as_its_expectation_says(page: CorpusPage) -> None:
    assert page.expected_path.is_file(), f"{page.path.name} has no {page.expected_path.name}"
    errors = page_errors(load_expectation(page.expected_path), page.read_bytes())
    assert not errors, f"{page.path.name}:\n" + "\n".join(errors)


def test_it_has_a_page_for_every_expectation() -> None:
    assert orphan_expectations() == []


# --- the corpus files, in a folder of our own ---------------------------------------


def test_it_pairs_pages_and_expectations_by_stem(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("x")
    (tmp_path / "b.html.gz").write_bytes(b"")
    (tmp_path / "a.expected.json").write_text("{}")
    (tmp_path / "c.expected.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("x")
    pages = corpus_pages(tmp_path)
    assert [(page.stem, page.path.name) for page in pages] == [
        ("a", "a.html"),
        ("b", "b.html.gz"),
    ]
    assert pages[1].expected_path == tmp_path / "b.expected.json"
    assert not pages[1].expected_path.exists()
    assert orphan_expectations(tmp_path) == [tmp_path / "c.expected.json"]


def test_it_reads_gzipped_pages(tmp_path: Path) -> None:
    (tmp_path / "z.html.gz").write_bytes(gzip.compress(b"<p>hi</p>"))
    assert corpus_pages(tmp_path)[0].read_bytes() == b"<p>hi</p>"


def test_it_refuses_an_expectation_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "x.expected.json"
    path.write_text("[]")
    with pytest.raises(ValueError, match="JSON object"):
        load_expectation(path)


# --- the matcher ---------------------------------------------------------------------

ACTUAL: dict[str, Any] = {
    "lwn_id": 5,
    "title": "A crop of new capabilities",
    "free": False,
    "items": [
        {"title": "One", "body_text": "alpha beta\ngamma", "authors": ["Jake Edge"]},
        {"title": "Two", "body_text": "delta", "authors": []},
    ],
    "comments": [{"lwn_id": 7, "parent_id": None}, {"lwn_id": 8, "parent_id": 7}],
}


def errors(expected: dict[str, Any]) -> list[str]:
    return expectation_errors(expected, ACTUAL)


def test_it_ignores_keys_a_partial_dict_does_not_name() -> None:
    assert errors({"lwn_id": 5}) == []
    assert errors({"items": [{"title": "One"}, {}]}) == []


def test_it_fails_on_an_unequal_value_and_names_its_path() -> None:
    assert errors({"comments": [{}, {"parent_id": 254970}]}) == [
        "comments[1].parent_id: expected 254970, got 7"
    ]
    assert errors({"comments": [{"parent_id": 1}, {}]}) == [
        "comments[0].parent_id: expected 1, got None"
    ]


def test_it_fails_on_a_key_the_actual_json_lacks() -> None:
    (message,) = errors({"items": [{"summary": "x"}, {}]})
    assert message.startswith("items[0].summary: no such key")


def test_it_fails_when_list_lengths_differ() -> None:
    assert errors({"items": [{"title": "One"}]}) == ["items: expected 1 elements, got 2"]
    assert errors({"items": [{}, {}, {}]}) == ["items: expected 3 elements, got 2"]
    assert errors({"items": [{}, {"authors": ["Jake Edge"]}]}) == [
        "items[1].authors: expected 1 elements, got 0"
    ]


def test_it_matches_lists_element_by_element_in_order() -> None:
    assert errors({"items": [{"title": "Two"}, {"title": "One"}]}) == [
        "items[0].title: expected 'Two', got 'One'",
        "items[1].title: expected 'One', got 'Two'",
    ]


def test_it_does_not_take_true_for_one_or_false_for_zero() -> None:
    assert errors({"free": 0}) == ["free: expected 0, got False"]
    assert expectation_errors({"n": True}, {"n": 1}) == ["n: expected True, got 1"]
    assert expectation_errors({"n": 1.0}, {"n": 1}) == []


def test_it_fails_when_shapes_differ() -> None:
    assert errors({"title": {"x": 1}}) == [
        "title: expected an object, got 'A crop of new capabilities'"
    ]
    assert errors({"title": ["x"]}) == ["title: expected a list, got 'A crop of new capabilities'"]
    assert errors({"items": "x"}) != []


def test_it_checks_contained_texts_with_a_tilde() -> None:
    assert errors({"title~": "crop of"}) == []
    assert errors({"items": [{"body_text~": ["alpha", "beta\ngamma"]}, {}]}) == []
    assert errors({"title~": ["crop", "cabbage"]}) == [
        "title: expected to contain 'cabbage', got 'A crop of new capabilities'"
    ]
    # No whitespace folding: the text must be there as written.
    assert errors({"items": [{"body_text~": "beta gamma"}, {}]}) != []
    assert errors({"lwn_id~": "5"}) == ["lwn_id: expected a string to search, got 5"]
    assert errors({"nothing~": "x"}) == ["nothing: no such key"]
    assert errors({"title~": 3}) != []


def test_it_checks_list_lengths_with_a_hash() -> None:
    assert errors({"comments#": 2, "items": [{"authors#": 1}, {"authors#": 0}]}) == []
    assert errors({"comments#": 3}) == ["comments: expected 3 elements, got 2"]
    assert errors({"title#": 1}) == ["title: expected a list, got 'A crop of new capabilities'"]
    assert errors({"comments#": "2"}) != []
    assert errors({"comments#": True}) != []


def test_it_refuses_directives_below_the_top() -> None:
    assert errors({"items": [{"_url": "x"}, {}]}) == [
        "items[0]._url: directives belong at the top of an expectation"
    ]


# --- directives -------------------------------------------------------------------

ARTICLE = page_bytes(
    '<div class="FeatureByline">\nBy <b>Jonathan Corbet</b><br>June 8, 2020\n</div>\n'
    "<p>Some text.</p>\n",
    title="A small article",
)
NOT_LWN = b"<html><head><title>Cats</title></head><body><p>Cats.</p></body></html>"


def test_it_checks_a_parsed_page_and_ignores_directives_in_the_comparison() -> None:
    assert page_errors({"title": "A small article", "items#": 1}, ARTICLE) == []
    assert page_errors({"title": "Another"}, ARTICLE) == [
        "title: expected 'Another', got 'A small article'"
    ]


def test_it_passes_the_url_directive_to_the_parser() -> None:
    url = "https://lwn.net/Articles/4242/"
    assert page_errors({"_url": url, "lwn_id": 4242}, ARTICLE) == []
    assert page_errors({"lwn_id": 4242}, ARTICLE) != []


def test_it_fails_a_page_that_is_refused_without_a_refused_directive() -> None:
    (message,) = page_errors({}, NOT_LWN)
    assert message.startswith("page: refused with LWNParseError(")


def test_it_expects_a_refusal_with_the_refused_directive() -> None:
    assert page_errors({"_refused": "not an LWN page"}, NOT_LWN) == []
    assert page_errors({"_refused": "something else"}, NOT_LWN) == [
        "_refused: expected a message containing 'something else', "
        "got \"not an LWN page: no [LWN.net] title and no article text ('Cats')\""
    ]
    assert page_errors({"_refused": "not an LWN page"}, ARTICLE) == [
        "_refused: expected LWNParseError containing 'not an LWN page', but the page parsed"
    ]


def test_it_allows_no_other_keys_beside_refused() -> None:
    assert page_errors({"_refused": "not an LWN page", "title": "Cats"}, NOT_LWN) == [
        "_refused: a refused page has no other keys, got title"
    ]
    assert page_errors({"_refused": ""}, NOT_LWN) != []


def test_it_fails_on_an_unknown_directive() -> None:
    assert page_errors({"_uri": "https://lwn.net/Articles/1/"}, ARTICLE) == [
        "_uri: unknown directive (known: _refused, _url)"
    ]
