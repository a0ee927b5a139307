"""Field-by-field tests for the March 26, 2015 edition front page (table layout)."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.lwn.types import ParsedPage
from tests.lwn.conftest import (
    assert_contains_all,
    assert_no_chrome,
    fixture_page,
    item_titled,
    squash,
)

NAME = "edition-2015-03-26-front.html"
ARDUINO = "A trademark battle in the Arduino community"
RELEASES = "Kernel release cycles, measured"
REPRO = "Debian and reproducible builds"

# title, lwn_id, authors, date, comment_count
FEATURES: list[tuple[str, int, list[str], dt.date, int]] = [
    (ARDUINO, 637755, ["Nathan Willis"], dt.date(2015, 3, 25), 5),
    (RELEASES, 637621, ["Jonathan Corbet"], dt.date(2015, 3, 25), 9),
    (REPRO, 637712, ["Jake Edge"], dt.date(2015, 3, 25), 21),
]

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


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return fixture_page(NAME)


def test_it_reads_the_page_header(page: ParsedPage) -> None:
    assert page.page_kind == "edition"
    assert page.lwn_id == 637393  # the sidebar's a.Current link
    assert page.title == "LWN.net Weekly Edition for March 26, 2015"
    assert page.date == dt.date(2015, 3, 26)
    assert page.free_on is None
    assert page.layout == "table"
    assert page.comments == []


def test_it_finds_the_three_features_and_nothing_else(page: ParsedPage) -> None:
    """The unclassed "Inside this week's" <h2> is chrome, not an item."""
    assert [item.title for item in page.items] == [row[0] for row in FEATURES]


@pytest.mark.parametrize(
    ("title", "lwn_id", "authors", "date", "comments"),
    FEATURES,
    ids=[row[0] for row in FEATURES],
)
def test_it_reads_each_feature_field_by_field(
    page: ParsedPage,
    title: str,
    lwn_id: int,
    authors: list[str],
    date: dt.date,
    comments: int,
) -> None:
    item = item_titled(page, title)
    assert item.lwn_id == lwn_id
    assert item.kind == "feature"
    assert item.authors == authors
    assert item.date == date
    assert item.comment_count == comments
    assert item.url == f"https://lwn.net/Articles/{lwn_id}/"
    assert item.merge_window is None
    assert item.hardware == []


def test_it_gives_all_front_page_items_one_section(page: ParsedPage) -> None:
    """There is no Cat1HL on a 2015 section page; the a.Current label may name it."""
    sections = {item.section for item in page.items}
    assert len(sections) == 1
    assert sections <= {None, "Front page"}


def test_it_numbers_items_in_ascending_page_order(page: ParsedPage) -> None:
    positions = [item.position for item in page.items]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


def test_it_keeps_bare_leading_text_that_has_no_paragraph(page: ParsedPage) -> None:
    body = squash(item_titled(page, RELEASES).body_text)
    assert body.startswith("With the 4.0 release drawing near")


def test_it_keeps_subheadings_and_table_cells(page: ParsedPage) -> None:
    assert_contains_all(
        item_titled(page, RELEASES).body_text,
        [
            "Release histories",
            "Development statistics",
            "Some conclusions",
            "3.15",
            "2014-06-08",
            "rc8",
            "3.19",
            "2015-02-08",
        ],
    )


def test_it_decodes_non_ascii_text_as_utf8(page: ParsedPage) -> None:
    assert_contains_all(item_titled(page, RELEASES).body_text, ["9½ weeks", "Jürgen Dürr", "—"])
    assert_contains_all(item_titled(page, REPRO).body_text, ["Jürgen Dürr", "—"])


def test_it_keeps_key_facts_in_each_body(page: ParsedPage) -> None:
    assert_contains_all(
        item_titled(page, ARDUINO).body_text,
        ["Arduino LLC", "Arduino Srl", "Smart Projects", "arduino.org", "arduino.cc"],
    )
    assert_contains_all(item_titled(page, REPRO).body_text, ["bit-for-bit", "dpkg"])


@pytest.mark.parametrize("title", [row[0] for row in FEATURES])
def test_it_strips_table_layout_chrome_from_bodies(page: ParsedPage, title: str) -> None:
    item = item_titled(page, title)
    assert_no_chrome(item.body_text, extra=[*TABLE_CHROME, *(f"By {a}" for a in item.authors)])


def test_it_does_not_let_one_item_swallow_the_next(page: ParsedPage) -> None:
    assert "Release histories" not in item_titled(page, ARDUINO).body_text
    assert "reproducible" not in item_titled(page, RELEASES).body_text
