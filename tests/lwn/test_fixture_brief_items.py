"""The June 11, 2020 "Brief items" page (grid layout): what the tables do not cover.

Its header, item and body fields are rows in ``tests/lwn/expected.py``.
"""

from __future__ import annotations

import pytest

from articles.lwn.types import ParsedPage
from tests.lwn.conftest import (
    assert_no_chrome,
    fixture_page,
    item_titled,
)
from tests.lwn.expected import BRIEFS, PYTHON_BETA, TITLES

NAME = BRIEFS


def test_it_resets_the_subsection_at_a_new_section(page: ParsedPage) -> None:
    assert item_titled(page, "openSUSE Leap 15.2 release candidate available").section == (
        "Distributions"
    )
    assert item_titled(page, PYTHON_BETA).section == "Development"


@pytest.mark.parametrize("title", TITLES[NAME])
def test_it_strips_bylines_story_links_and_chrome(page: ParsedPage, title: str) -> None:
    assert_no_chrome(
        item_titled(page, title).body_text,
        extra=["[Posted", "Full Story", "comments:", "Announcements>>"],
    )


def test_it_names_the_edition_an_inner_page_belongs_to() -> None:
    page = fixture_page(NAME)
    assert page.lwn_id == 822336
    assert page.edition_lwn_id == 822335
