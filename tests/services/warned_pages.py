"""Fixture pages damaged on purpose, so that the parser warns (and what it says)."""

from __future__ import annotations

from tests.services.conftest import fixture_bytes

ARTICLE = "article-2020-capabilities-comments.html"
ARTICLE_URL = "https://lwn.net/Articles/821729/"


def comment_without_body(data: bytes | None = None) -> bytes:
    """The capabilities article whose first comment (821845) lost its body."""
    page = fixture_bytes(ARTICLE) if data is None else data
    start = page.index(b'<div class="FormattedComment">')
    end = page.index(b"</div>", start)
    return page[:start] + page[end + len(b"</div>") :]


def undecodable_and_comment_without_body() -> bytes:
    """The same, plus two bytes that are not UTF-8 in the article text."""
    page = comment_without_body()
    at = page.index(b"capabilit", 3000)
    return page[:at] + b"\xff\xfe" + page[at:]
