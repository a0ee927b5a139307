"""Snippets of long texts: a window around the first match, marked and escaped, on both backends."""

from __future__ import annotations

import html
import re

import pytest

from articles import search
from articles.search.snippets import SNIPPET_CHARS
from tests.factories import ArticleFactory
from tests.search.conftest import SUBSCRIBER

pytestmark = pytest.mark.django_db

FILLER = "Words that say nothing at all, "  # none of them a stop word only


def long_body(middle: str) -> str:
    """``middle`` between two runs of about 60,000 characters without a match."""
    return FILLER * 2_000 + middle + " " + FILLER * 2_000 + "The end."


def only_hit(query: str) -> search.SearchHit:
    (hit,) = search.archive_search(query=query, user=SUBSCRIBER).hits
    return hit


def test_it_marks_and_escapes_a_match_in_the_middle_of_a_long_text() -> None:
    middle = 'Then the scheduler changes: a <script>alert("x")</script> & more.'
    ArticleFactory(title="Long", body_text=long_body(middle))
    search.index_rebuild()
    shown = only_hit("scheduler").snippet
    assert shown.startswith("… ")
    assert shown.endswith(" …")
    assert "<mark>scheduler</mark> changes: a &lt;script&gt;alert(" in shown
    assert "&amp; more." in shown
    assert re.sub(r"</?mark>", "", shown).count("<") == 0
    # About a snippet's length, not the text's; words are whole at both ends.
    plain = html.unescape(re.sub(r"</?mark>", "", shown))
    assert len(plain) < 2 * SNIPPET_CHARS
    words = plain.removeprefix("… ").removesuffix(" …").split()
    whole = {word.strip(",.:") for word in (FILLER + middle).split()}
    assert {words[0].strip(",.:"), words[-1].strip(",.:")} <= whole


def test_it_marks_the_first_words_of_a_phrase_far_into_a_long_text() -> None:
    ArticleFactory(
        title="Merge window",
        body_text=long_body("Some of the most significant changes pulled into the mainline."),
    )
    search.index_rebuild()
    shown = only_hit('"significant changes pulled"').snippet
    assert "<mark>significant</mark> <mark>changes</mark> <mark>pulled</mark>" in shown
