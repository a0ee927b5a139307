"""Field-by-field tests for the June 11, 2020 edition as one big page (grid layout)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from articles.lwn import parse_page, to_json_dict
from articles.lwn.types import ParsedPage
from tests.lwn.conftest import (
    assert_contains_all,
    assert_no_chrome,
    fixture_page,
    fixture_path,
    item_titled,
)

NAME = "edition-2020-06-11-bigpage.html"
EDITION_DATE = dt.date(2020, 6, 11)
INTRO = "Welcome to the LWN.net Weekly Edition for June 11, 2020"
MERGE_WINDOW = "5.8 Merge window, part 1"

# title, lwn_id, kind, section, authors, date, comment_count
FEATURES: list[tuple[str, int, str, str, list[str], dt.date, int]] = [
    (
        "Seccomp and deep argument inspection",
        822256,
        "feature",
        "Front page",
        ["Jake Edge"],
        dt.date(2020, 6, 10),
        7,
    ),
    (MERGE_WINDOW, 821534, "feature", "Front page", ["Jonathan Corbet"], dt.date(2020, 6, 5), 12),
    (
        "A crop of new capabilities",
        821729,
        "feature",
        "Front page",
        ["Jonathan Corbet"],
        dt.date(2020, 6, 8),
        14,
    ),
    (
        "DMA-BUF cache handling: Off the DMA API map (part 1)",
        822052,
        "guest",
        "Front page",
        ["John Stultz"],
        dt.date(2020, 6, 4),
        8,
    ),
    (
        "Home Assistant, the Python IoT hub",
        822350,
        "feature",
        "Front page",
        ["John Coggeshall"],
        dt.date(2020, 6, 10),
        16,
    ),
]
BRIEFS: list[tuple[str, int, str, str, list[str], dt.date, int]] = [
    (
        "Kernel release status",
        822466,
        "brief",
        "Brief items: Kernel development",
        ["Jonathan Corbet"],
        dt.date(2020, 6, 10),
        3,
    ),
    (
        "openSUSE Leap 15.2 release candidate available",
        822481,
        "brief",
        "Brief items: Distributions",
        ["Jake Edge"],
        dt.date(2020, 6, 10),
        2,
    ),
    (
        "Python 3.9.0b3 released",
        822490,
        "brief",
        "Brief items: Development",
        ["Jonathan Corbet"],
        dt.date(2020, 6, 9),
        1,
    ),
    (
        "Conferences move online",
        822500,
        "brief",
        "Announcements",
        ["Jake Edge"],
        dt.date(2020, 6, 10),
        0,
    ),
]
ALL_TITLES = [INTRO] + [row[0] for row in FEATURES] + [row[0] for row in BRIEFS]


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return fixture_page(NAME)


# --- the page itself -----------------------------------------------------------


def test_it_reads_the_page_header(page: ParsedPage) -> None:
    assert page.page_kind == "edition"
    assert page.lwn_id == 822335
    assert page.title == "LWN.net Weekly Edition for June 11, 2020"
    assert page.date == EDITION_DATE
    assert page.free_on is None
    assert page.layout == "grid"


def test_it_finds_no_comments_on_an_edition_page(page: ParsedPage) -> None:
    assert page.comments == []


def test_it_keeps_the_url_hint_and_the_id_from_the_page() -> None:
    url = "https://lwn.net/Articles/822335/bigpage"
    hinted = parse_page(fixture_path(NAME).read_bytes(), url=url)
    assert hinted.url == url
    assert hinted.lwn_id == 822335


# --- items: order and per-item fields -------------------------------------------


def test_it_finds_every_item_in_page_order(page: ParsedPage) -> None:
    assert [item.title for item in page.items] == ALL_TITLES


def test_it_numbers_items_in_ascending_page_order(page: ParsedPage) -> None:
    positions = [item.position for item in page.items]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


def test_it_reads_the_intro_item_without_a_byline(page: ParsedPage) -> None:
    intro = item_titled(page, INTRO)
    assert intro.lwn_id == 822349
    assert intro.kind == "feature"
    assert intro.section == "Front page"
    assert intro.authors == []
    assert intro.comment_count == 0  # "Comments (none posted)"
    # The intro has no dateline of its own; inheriting the edition date is acceptable.
    assert intro.date in (None, EDITION_DATE)
    assert intro.merge_window is None


@pytest.mark.parametrize(
    ("title", "lwn_id", "kind", "section", "authors", "date", "comments"),
    FEATURES + BRIEFS,
    ids=[row[0] for row in FEATURES + BRIEFS],
)
def test_it_reads_each_item_field_by_field(
    page: ParsedPage,
    title: str,
    lwn_id: int,
    kind: str,
    section: str,
    authors: list[str],
    date: dt.date,
    comments: int,
) -> None:
    item = item_titled(page, title)
    assert item.lwn_id == lwn_id
    assert item.kind == kind
    assert item.section == section
    assert item.authors == authors
    assert item.date == date
    assert item.comment_count == comments


def test_it_gives_every_linked_item_its_canonical_url(page: ParsedPage) -> None:
    for item in page.items:
        assert item.url == f"https://lwn.net/Articles/{item.lwn_id}/", item.title


def test_it_resets_the_subsection_at_a_new_section(page: ParsedPage) -> None:
    """The Cat2HL "Development" must not stick to the Announcements item."""
    assert item_titled(page, "Conferences move online").section == "Announcements"


# --- bodies ---------------------------------------------------------------------

BODY_FACTS: dict[str, list[str]] = {
    INTRO: ["features in this week's edition", "Brief items", "Announcements"],
    "Seccomp and deep argument inspection": [
        "Kees Cook",
        "seccomp()",
        "clone3()",
        "openat2()",
        "TOCTTOU",
        "copy_from_user()",
        "cbpf is frozen.",
        "They exist. Deal with it.",
        "struct clone_args",
        "io_uring",
        "ioctl()",
        "Deep arguments",
        "Less-deep arguments",
    ],
    MERGE_WINDOW: [
        "7,500 non-merge changesets",
        "faccessat2()",
        "Leadtek LTK050H3146W",
        "CAP_PERFMON",
        "June 14",
    ],
    "A crop of new capabilities": [
        "CAP_AUDIT_READ",
        "3.16",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_SYS_ADMIN",
        "CAP_RESTORE",
        "clone3()",
        "bpf()",
        "/proc/pid/map_files",
        "Bad JVM! No biscuit!",
        "New capabilities in 5.8",
    ],
    "DMA-BUF cache handling: Off the DMA API map (part 1)": [
        "DMA-BUF heaps",
        "ION",
        "dma_buf_attach()",
        "dma_buf_map_attachment()",
        "dma_map_sg()",
        "4.12",
        "The DMA API",
    ],
    "Home Assistant, the Python IoT hub": [
        "Paulus Schoutsen",
        "Raspberry Pi 4 Model B",
        "alias: 'Porch light after dusk'",
        "homeassistant.turn_on",
        "MQTT",
    ],
    "Kernel release status": ["5.7.2", "4.19.128"],
    "openSUSE Leap 15.2 release candidate available": ["Leap 15.2"],
    "Python 3.9.0b3 released": ["third beta"],
    "Conferences move online": ["events calendar"],
}


@pytest.mark.parametrize("title", ALL_TITLES)
def test_it_keeps_key_facts_in_each_body(page: ParsedPage, title: str) -> None:
    assert_contains_all(item_titled(page, title).body_text, BODY_FACTS[title])


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


def test_it_does_not_let_one_item_swallow_the_next(page: ParsedPage) -> None:
    assert "Merge window" not in item_titled(page, "Seccomp and deep argument inspection").body_text
    last_feature = item_titled(page, "Home Assistant, the Python IoT hub").body_text
    assert "Kernel release status" not in last_feature
    assert "5.7.2" not in last_feature


def test_it_decodes_non_ascii_text_as_utf8(page: ParsedPage) -> None:
    assert "—" in item_titled(page, "Seccomp and deep argument inspection").body_text
    assert "â€" not in item_titled(page, "Seccomp and deep argument inspection").body_text


def test_it_keeps_preformatted_lines(page: ParsedPage) -> None:
    body = item_titled(page, "Home Assistant, the Python IoT hub").body_text
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
