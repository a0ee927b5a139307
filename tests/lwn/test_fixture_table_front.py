"""The March 26, 2015 edition front page (table layout): what the tables do not cover.

Its header, item and body fields are rows in ``tests/lwn/expected.py``.
"""

from __future__ import annotations

import pytest

from articles.lwn.types import ParsedPage
from tests.lwn.conftest import (
    assert_no_chrome,
    item_titled,
)
from tests.lwn.expected import FRONT, FRONT_FEATURES

NAME = FRONT

TABLE_CHROME = (
    "Security>>",
    "Hardening the kernel's stack handling",
    "Printable page",
    "One big page",
    "Previous week",
    "Following week",
    "Comments (",
    "Weekly Edition",
    "Events calendar",
    "Unread comments",
    "Grenoble",
    "Build farms",
)


def test_it_gives_all_front_page_items_one_section(page: ParsedPage) -> None:
    """There is no Cat1HL on a 2015 section page; the a.Current label may name it."""
    sections = {item.section for item in page.items}
    assert len(sections) == 1
    assert sections <= {None, "Front page"}


@pytest.mark.parametrize("title", FRONT_FEATURES)
def test_it_strips_table_layout_chrome_from_bodies(page: ParsedPage, title: str) -> None:
    item = item_titled(page, title)
    assert_no_chrome(item.body_text, extra=[*TABLE_CHROME, *(f"By {a}" for a in item.authors)])
