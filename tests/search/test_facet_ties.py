"""Facets show their most frequent values, ties in code point order, on both backends."""

from __future__ import annotations

from collections import Counter

import pytest

from articles import search
from articles.search.pg.statements import FACET_LIMIT
from tests.factories import ArticleFactory, CommentFactory
from tests.search.conftest import SUBSCRIBER

pytestmark = pytest.mark.django_db

# Case and accents order differently by code point than by a language's rules.
POSTERS = ["alice", "Bob", "Zed", "émile", "Émile", "adam", "Carol", "bob", "Ünal", "zoe"]
POSTERS += ["Mallory", "mallory", "Trent", "_root", "Eve"]


def test_it_shows_the_most_frequent_posters_ties_by_code_point() -> None:
    article = ArticleFactory(title="Unrelated", body_text="Nothing to find here.")
    posted = [*POSTERS, "Trent", "Trent", "zoe", "Ünal"]  # three with more than one comment
    for name in posted:
        CommentFactory(article=article, poster_name=name, body_text="The scheduler again.")
    search.index_rebuild()
    found = search.archive_search(query="scheduler", user=SUBSCRIBER)
    expected = sorted(Counter(posted).items(), key=lambda item: (-item[1], item[0]))
    assert len(expected) > FACET_LIMIT
    shown = [(value.value, value.count) for value in found.facets.author]
    assert shown == expected[:FACET_LIMIT]
    assert found.count == len(posted)
