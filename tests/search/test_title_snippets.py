"""A hit found by its title alone shows the title with the match marked, on both engines."""

from __future__ import annotations

import pytest

from articles import search
from tests.factories import ArticleFactory
from tests.search.conftest import SUBSCRIBER

pytestmark = pytest.mark.django_db

BODY = "Nothing in this text is what was asked for."


def only_snippet(query: str) -> str:
    (hit,) = search.archive_search(query=query, user=SUBSCRIBER).hits
    return hit.snippet


@pytest.mark.parametrize(
    ("title", "query", "expected"),
    [
        ("Landlock arrives at last", "landlock", "<mark>Landlock</mark> arrives at last"),
        ("Capabilities reworked", "capability", "<mark>Capabilities</mark> reworked"),
        ("CAP_BPF for tracers", "cap_bpf", "<mark>CAP_BPF</mark> for tracers"),
        ("A & <b>landlock</b>", "title:landlock", "A &amp; &lt;b&gt;<mark>landlock</mark>&lt;/b&gt;"),  # noqa: E501
    ],
)  # fmt: skip
def test_it_shows_the_marked_title_before_the_start_of_the_text(
    title: str, query: str, expected: str
) -> None:
    ArticleFactory.create(title=title, body_text=BODY)
    search.index_rebuild()
    assert only_snippet(query) == f"{expected} — {BODY}"


def test_it_shows_only_the_text_when_the_text_matches_too() -> None:
    ArticleFactory.create(title="Landlock arrives", body_text="The landlock rules are here.")
    search.index_rebuild()
    assert only_snippet("landlock") == "The <mark>landlock</mark> rules are here."
