"""ts_headline on a window of the text: where the window starts, and when it marks nothing."""

from __future__ import annotations

import pytest

from articles import search
from articles.search.pg.compile import Highlight
from tests.factories import ArticleFactory
from tests.search.conftest import SUBSCRIBER

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

FILLER = "Words that say nothing at all, " * 2_000


def test_it_looks_for_the_marked_words_written_in_any_case() -> None:
    highlight = Highlight((("tsquery", "'signific' <-> 'chang' <-> 'pull'"), ("ident", "CAP_BPF")))
    assert highlight.marks() == [
        "signif", "SIGNIF", "Signif", "cha", "CHA", "Cha", "pull", "PULL", "Pull",
        "cap_bpf", "CAP_BPF", "Cap_bpf",
    ]  # fmt: skip


def test_it_marks_a_match_the_first_window_misses() -> None:
    # "Changelog" is where the window starts (it begins as "changes" does) but is no
    # match; the match is further on than the window reaches: the whole text is used.
    ArticleFactory(
        title="Late",
        body_text="A Changelog entry. " + FILLER + "Here the scheduler changes. " + FILLER + "End.",
    )
    (hit,) = search.archive_search(query="changes", user=SUBSCRIBER).hits
    assert hit.snippet.startswith("… <mark>changes</mark>. Words that")
    assert hit.snippet.endswith(" …")
