"""The snippet's spans and first match: the same as stemming every token, at any length."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search.snippets import (
    _TOKEN,
    SNIPPET_CHARS,
    _spans,
    _term,
    first_match,
    lead,
    snippet,
)

pytestmark = pytest.mark.backend_independent

# Words, their inflections, identifiers and the characters that join or split tokens.
PIECES = st.sampled_from(
    [
        "change", "changes", "Changed", "changing", "memory", "memory.swap.high",
        "swap", "x.swap", "swap.x", "CAP_MKNOD", "cap_mknod", "é", "Jürgen", "jurgen", "İ",
        ".", "..", " ", "  ", ",", "(", ")", "_", "-", "/", "1", "a.b", "5.8",
    ]
)  # fmt: skip
WORDS = st.frozensets(st.sampled_from(["chang", "memori", "swap", "cap_mknod", "jurgen", "x"]))


def stem_every_token(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text) if _term(m.group()) in words]


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(PIECES, max_size=30), words=WORDS)
def test_it_finds_the_spans_stemming_every_token_finds(
    pieces: list[str], words: frozenset[str]
) -> None:
    text = "".join(pieces)
    assert _spans(text, words) == stem_every_token(text, words)


def test_it_finds_a_form_only_where_it_is_a_whole_token() -> None:
    text = "Changes: x.changes, changes.y and changesets; then changes."
    last = text.rindex("changes.")
    # Not inside "x.changes" or "changes.y" (dotted names are one token), nor "changesets".
    assert _spans(text, frozenset({"chang"})) == [(0, 7), (last, last + len("changes"))]


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(PIECES, max_size=30), words=WORDS)
def test_it_finds_the_first_match_the_spans_start_with(
    pieces: list[str], words: frozenset[str]
) -> None:
    text = "".join(pieces)
    spans = stem_every_token(text, words)
    assert first_match(text, words) == (spans[0][0] if spans else None)


# Endings the Porter stemmer rewrites, on stems of every shape (y, e, l, double letters).
ENDINGS = st.sampled_from(
    [
        "", "s", "es", "ies", "ed", "ied", "ing", "ly", "ily", "ness", "ational", "tional",
        "ation", "ator", "ize", "izer", "ization", "alism", "iveness", "fulness", "ousness",
        "aliti", "ality", "iviti", "ivity", "biliti", "bility", "ability", "ibility", "bli",
        "bly", "alli", "ally", "entli", "ently", "eli", "ely", "ousli", "ously", "logi",
        "logy", "icate", "ative", "alize", "iciti", "icity", "ical", "ful", "ence", "ance",
        "enci", "ency", "anci", "ancy", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
        "ive", "y", "e", "le", "ll",
    ]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(
    stem=st.text(alphabet="abcehilnoprstuvyz", min_size=1, max_size=8),
    ending=ENDINGS,
    case=st.sampled_from([str.lower, str.upper, str.title]),
)
def test_it_finds_every_written_form_from_its_stem(stem: str, ending: str, case: object) -> None:
    """The beginnings searched for (a stem less its last two letters) start every
    word that stems to it, whatever the word's ending and case."""
    word = case(stem + ending)  # type: ignore[operator]
    text = f"0 {word} 9"  # nothing else there is a word
    assert first_match(text, frozenset({_term(word)})) == 2


def test_it_finds_the_first_match_in_a_token_with_letters_outside_ascii() -> None:
    text = "Straße — Jürgen wrote to jurgen and JÜRGEN (ﬁle)"
    assert first_match(text, frozenset({"jurgen"})) == text.index("Jürgen")
    assert first_match(text, frozenset({_term("Straße")})) == 0
    assert first_match(text, frozenset({"nobodi"})) is None


FILLER = "Words that match nothing at all, "


def long_text(middle: str, repeat: int = 3_000) -> str:
    """``middle`` between two runs of text without a match (100,000 characters each)."""
    return FILLER * repeat + middle + " " + FILLER * repeat


def test_it_marks_and_escapes_the_first_match_of_a_long_text() -> None:
    text = long_text('A <script>alert("x")</script> & the scheduler changes; then changes again.')
    shown = snippet(text, frozenset({"chang"}))
    assert shown.startswith("… ")
    assert shown.endswith(" …")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; the scheduler" in shown
    assert "<mark>changes</mark>; then <mark>changes</mark> again." in shown
    assert re.sub(r"</?mark>", "", shown).count("<") == 0
    assert len(re.sub(r"</?mark>", "", html.unescape(shown))) <= SNIPPET_CHARS + 4


def test_it_shows_the_same_snippet_whatever_the_length_of_the_text() -> None:
    middle = "The scheduler changes here."
    words = frozenset({"chang", "schedul"})
    assert snippet(long_text(middle), words) == snippet(long_text(middle, repeat=10), words)


def test_it_gives_the_lead_of_a_long_text_without_a_match() -> None:
    text = "First   words\n\nof the text. " + long_text("nothing")
    shown = snippet(text, frozenset({"absent"}))
    assert shown.startswith("First words of the text. Words that")
    assert shown.endswith(" …")
    assert lead("  short\n text ") == "short text"
