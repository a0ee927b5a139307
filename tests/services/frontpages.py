"""Home pages built by hand, for the tests of storing, fetching and following them.

The parser's support for the lwn.net home page is written separately; these
tests pin the storage side, so they feed ``page_import`` a ``ParsedPage`` built
here for marker bytes (``parsed_as``), whatever the parser makes of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from articles.lwn.types import FrontPageItem, ParsedPage
from articles.services import parse_limits

HOME = "https://lwn.net/"
POSTED = dt.datetime(2020, 6, 10, 14, 30, tzinfo=dt.UTC)


def headline(lwn_id: int, **fields: Any) -> FrontPageItem:
    """A feature headline for article ``lwn_id``; ``fields`` override any value."""
    values: dict[str, Any] = {
        "lwn_id": lwn_id,
        "title": f"Headline {lwn_id}",
        "kind": "feature",
        "subscriber_only": False,
        "section": "Kernel",
        "poster": "corbet",
        "posted_at": POSTED,
        "comment_count": 3,
        "blurb_html": f"<p>The blurb of item {lwn_id}.</p>",
        "blurb_text": f"The blurb of item {lwn_id}.",
        "position": 0,
    }
    values.update(fields)
    return FrontPageItem(**values)


def front_page(*items: FrontPageItem) -> ParsedPage:
    return ParsedPage(
        page_kind="frontpage",
        lwn_id=None,
        title="Welcome to LWN.net",
        date=None,
        free_on=None,
        layout="modern",
        items=[],
        comments=[],
        warnings=[],
        url=HOME,
        headlines=[replace(item, position=n) for n, item in enumerate(items)],
    )


def page_bytes(label: str) -> bytes:
    """Bytes that ``parsed_as`` recognises; a distinct ``label`` is a distinct raw page."""
    return f"<!-- a hand-built home page: {label} -->".encode()


def parsed_as(monkeypatch: pytest.MonkeyPatch, pages: dict[bytes, ParsedPage]) -> None:
    """Make the import parse each of ``pages``' bytes as its page; other bytes as usual."""
    real = parse_limits.parse_page

    def parse(data: bytes, *, url: str | None = None) -> ParsedPage:
        return pages[data] if data in pages else real(data, url=url)

    monkeypatch.setattr(parse_limits, "parse_page", parse)
