"""Shared helpers for the tests over the fixture pages in ``tests/fixtures/lwn/``.

``fixture_page`` is cached for the session, so the returned ``ParsedPage`` must be
treated as read-only. What each page must parse to is in its ``.expected.json``
(``tests/lwn/test_corpus.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from articles.lwn import parse_page
from articles.lwn.types import ParsedComment, ParsedItem, ParsedPage
from tests.lwn.corpus import FIXTURES_DIR

# Page chrome that must never leak into an item's or a comment's text.
CHROME_STRINGS: tuple[str, ...] = (
    "to post comments",
    "Page editor",
    "Inside this week",
    "Please consider subscribing",
    "Next page",
    "Did you know",
    "Advertisement",
    "Copyright ©",
    "Return to the Front page",
    "Recent Features",
    "Reply to this comment",
    "Subscribe",
)


def fixture_path(name: str) -> Path:
    """Path of a fixture file; fails loudly when the name is misspelt."""
    path = FIXTURES_DIR / name
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


@cache
def fixture_page(name: str) -> ParsedPage:
    """Parse the named fixture (without a URL hint) once and cache the result."""
    return parse_page(fixture_path(name).read_bytes())


def squash(text: str) -> str:
    """Collapse runs of whitespace, so checks do not depend on line wrapping."""
    return " ".join(text.split())


def item_titled(page: ParsedPage, title: str) -> ParsedItem:
    matches = [item for item in page.items if item.title == title]
    assert len(matches) == 1, f"expected one item titled {title!r}, got {len(matches)}"
    return matches[0]


def comment_by_id(page: ParsedPage, lwn_id: int) -> ParsedComment:
    matches = [c for c in page.comments if c.lwn_id == lwn_id]
    assert len(matches) == 1, f"expected one comment {lwn_id}, got {len(matches)}"
    return matches[0]


def assert_no_chrome(text: str, extra: Iterable[str] = ()) -> None:
    flat = squash(text)
    for needle in (*CHROME_STRINGS, *extra):
        assert needle not in flat, f"chrome string {needle!r} leaked into {flat[:80]!r}…"
