"""Field-by-field tests for the June 11, 2020 "Brief items" page (grid layout)."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.lwn.types import ParsedPage
from tests.lwn.conftest import (
    assert_contains_all,
    assert_no_chrome,
    fixture_page,
    item_titled,
)

NAME = "brief-items-2020-06-11.html"
VULN = "kernel: information leak via special-register buffers"

# title, lwn_id, section, authors, date, comment_count
BRIEFS: list[tuple[str, int, str, list[str], dt.date, int]] = [
    ("Tor Browser 9.5 released", 822099, "Security", ["Jake Edge"], dt.date(2020, 6, 4), 2),
    (
        "Kernel release status",
        822466,
        "Kernel development",
        ["Jonathan Corbet"],
        dt.date(2020, 6, 10),
        3,
    ),
    (
        "Quote of the week",
        822470,
        "Kernel development: Quote of the week",
        ["Jonathan Corbet"],
        dt.date(2020, 6, 10),
        0,
    ),
    (
        "openSUSE Leap 15.2 release candidate available",
        822481,
        "Distributions",
        ["Jake Edge"],
        dt.date(2020, 6, 10),
        2,
    ),
    ("Python 3.9.0b3 released", 822490, "Development", ["Jonathan Corbet"], dt.date(2020, 6, 9), 1),
    (
        "Git v2.27.0 released",
        822121,
        "Development: Miscellaneous",
        ["Jake Edge"],
        dt.date(2020, 6, 4),
        4,
    ),
]
ALL_TITLES = [VULN] + [row[0] for row in BRIEFS]

BODY_FACTS: dict[str, list[str]] = {
    VULN: ["CVE-2020-0543", "SRBDS", "RDRAND"],
    "Tor Browser 9.5 released": ["onion service"],
    "Kernel release status": ["5.7.2", "5.6.18", "5.4.46", "4.19.128"],
    "Quote of the week": ["it is a tax", "Jürgen Dürr", "—"],
    "openSUSE Leap 15.2 release candidate available": ["Leap 15.2", "15.1"],
    "Python 3.9.0b3 released": ["third beta", "Python 3.9"],
    "Git v2.27.0 released": ["version 2 of the wire protocol"],
}


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return fixture_page(NAME)


def test_it_reads_the_page_header(page: ParsedPage) -> None:
    assert page.page_kind == "edition"
    assert page.lwn_id == 822336
    assert page.title == "Brief items"
    assert page.free_on is None
    assert page.layout == "grid"
    assert page.comments == []
    # The page names no edition date of its own; the edition's date is acceptable.
    assert page.date in (None, dt.date(2020, 6, 11))


def test_it_finds_every_brief_in_page_order(page: ParsedPage) -> None:
    assert [item.title for item in page.items] == ALL_TITLES


@pytest.mark.parametrize(
    ("title", "lwn_id", "section", "authors", "date", "comments"),
    BRIEFS,
    ids=[row[0] for row in BRIEFS],
)
def test_it_reads_each_brief_field_by_field(
    page: ParsedPage,
    title: str,
    lwn_id: int,
    section: str,
    authors: list[str],
    date: dt.date,
    comments: int,
) -> None:
    item = item_titled(page, title)
    assert item.lwn_id == lwn_id
    assert item.kind == "brief"
    assert item.section == section
    assert item.authors == authors  # login names mapped to full names
    assert item.date == date
    assert item.comment_count == comments
    assert item.url == f"https://lwn.net/Articles/{lwn_id}/"


def test_it_gives_an_unlinked_vulnerability_entry_no_link(page: ParsedPage) -> None:
    """The CVE and advisory links after the title are not the entry's own link."""
    item = item_titled(page, VULN)
    assert item.lwn_id is None
    assert item.url is None
    assert item.kind == "brief"
    assert item.section == "Security"
    assert item.authors == []
    assert item.comment_count is None


def test_it_resets_the_subsection_at_a_new_section(page: ParsedPage) -> None:
    assert item_titled(page, "openSUSE Leap 15.2 release candidate available").section == (
        "Distributions"
    )
    assert item_titled(page, "Python 3.9.0b3 released").section == "Development"


@pytest.mark.parametrize("title", ALL_TITLES)
def test_it_keeps_key_facts_in_each_body(page: ParsedPage, title: str) -> None:
    assert_contains_all(item_titled(page, title).body_text, BODY_FACTS[title])


@pytest.mark.parametrize("title", ALL_TITLES)
def test_it_strips_bylines_story_links_and_chrome(page: ParsedPage, title: str) -> None:
    assert_no_chrome(
        item_titled(page, title).body_text,
        extra=["[Posted", "Full Story", "comments:", "Announcements>>"],
    )


def test_it_does_not_let_one_brief_swallow_the_next(page: ParsedPage) -> None:
    assert "Tor Browser" not in item_titled(page, VULN).body_text
    assert "CVE-2020-0543" not in item_titled(page, "Tor Browser 9.5 released").body_text
    assert "Git 2.27.0" not in item_titled(page, "Python 3.9.0b3 released").body_text


def test_it_names_the_edition_an_inner_page_belongs_to() -> None:
    page = fixture_page("brief-items-2020-06-11.html")
    assert page.lwn_id == 822336
    assert page.edition_lwn_id == 822335
