"""A guest article page (GAByline, nag box, no comments): what the tables do not cover.

Its header, item and body fields are rows in ``tests/lwn/expected.py``.
"""

from __future__ import annotations

from articles.lwn.types import ParsedItem
from tests.lwn.conftest import assert_no_chrome
from tests.lwn.expected import GUEST, GUEST_TITLE

NAME = GUEST
TITLE = GUEST_TITLE


def test_it_strips_the_nag_box_byline_and_login_chrome(article: ParsedItem) -> None:
    assert_no_chrome(
        article.body_text,
        extra=[
            "This article was contributed by",
            "lifeblood",
            "readers pay for it",
            "subscription page",
            "June 4, 2020",
        ],
    )
