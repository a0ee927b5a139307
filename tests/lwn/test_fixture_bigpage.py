"""The June 11, 2020 edition as one big page (grid layout): what the tables do not cover.

Its header, item and body fields are rows in ``tests/lwn/expected.py``.
"""

from __future__ import annotations

import json

import pytest

from articles.lwn import parse_page, to_json_dict
from articles.lwn.types import ParsedPage
from tests.lwn.conftest import (
    assert_no_chrome,
    fixture_path,
    item_titled,
)
from tests.lwn.expected import BIGPAGE, HOME_ASSISTANT, TITLES

NAME = BIGPAGE

ALL_TITLES = TITLES[NAME]


# --- the page itself -----------------------------------------------------------


def test_it_keeps_the_url_hint_and_the_id_from_the_page() -> None:
    url = "https://lwn.net/Articles/822335/bigpage"
    hinted = parse_page(fixture_path(NAME).read_bytes(), url=url)
    assert hinted.url == url
    assert hinted.lwn_id == 822335


# --- items -------------------------------------------------------------------------


def test_it_gives_every_linked_item_its_canonical_url(page: ParsedPage) -> None:
    for item in page.items:
        assert item.url == f"https://lwn.net/Articles/{item.lwn_id}/", item.title


def test_it_resets_the_subsection_at_a_new_section(page: ParsedPage) -> None:
    """The Cat2HL "Development" must not stick to the Announcements item."""
    assert item_titled(page, "Conferences move online").section == "Announcements"


# --- bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("title", ALL_TITLES)
def test_it_strips_chrome_bylines_and_comment_links_from_bodies(
    page: ParsedPage, title: str
) -> None:
    item = item_titled(page, title)
    bylines = [f"By {name}" for name in item.authors]
    assert_no_chrome(
        item.body_text,
        extra=[*bylines, "Comments (", "Full Story", "[Posted", "contributed by"],
    )


def test_it_keeps_preformatted_lines(page: ParsedPage) -> None:
    body = item_titled(page, HOME_ASSISTANT).body_text
    assert "service: homeassistant.turn_on\n" in body


# --- JSON form ------------------------------------------------------------------


def test_it_serialises_the_page_to_plain_json(page: ParsedPage) -> None:
    data = json.loads(json.dumps(to_json_dict(page)))
    assert data["page_kind"] == "edition"
    assert data["lwn_id"] == 822335
    assert data["date"] == "2020-06-11"
    assert data["free_on"] is None
    assert data["layout"] == "grid"
    assert [item["title"] for item in data["items"]] == ALL_TITLES
