"""Fixtures shared by the page tests."""

from __future__ import annotations

import pytest

from articles.models import Article
from tests.services.conftest import import_fixture


@pytest.fixture
def archive(db: None) -> None:
    """The June 11, 2020 edition with its briefs and a commented article, and a 2015 edition."""
    for name in (
        "edition-2020-06-11-bigpage.html",
        "brief-items-2020-06-11.html",
        "article-2020-capabilities-comments.html",
        "edition-2015-03-26-front.html",
    ):
        assert import_fixture(name).outcome == "ok"
    # Make the fixture features readable to everyone: they became free in 2020.
    Article.objects.update(subscriber_only=False)
