"""The snippet's matched spans: found from the distinct tokens, as if each token were stemmed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search.snippets import _TOKEN, _spans, _term

pytestmark = pytest.mark.backend_independent

# Words, their inflections, identifiers and the characters that join or split tokens.
PIECES = st.sampled_from(
    [
        "change", "changes", "Changed", "changing", "memory", "memory.swap.high",
        "swap", "x.swap", "swap.x", "CAP_MKNOD", "cap_mknod", "é", "Jürgen", "jurgen",
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
