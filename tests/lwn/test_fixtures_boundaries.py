"""What the corpus expectations cannot say about the fixture pages.

The ``.expected.json`` files beside each page check what the parser finds; these tests
check where texts end: chrome, bylines, poster lines, replies and the next item stay out
of a body, and a body starts with its first words. They also check item order and the
URL hint, which the JSON form does not carry.
"""

from __future__ import annotations

import pytest

from articles.lwn import parse_page
from articles.lwn.types import ParsedPage
from tests.lwn.conftest import (
    assert_no_chrome,
    comment_by_id,
    fixture_page,
    fixture_path,
    item_titled,
    squash,
)

CAPABILITIES = "article-2020-capabilities-comments.html"
DETAILS = "article-2024-details-comments.html"
GUEST = "article-guest-dmabuf.html"
BIGPAGE = "edition-2020-06-11-bigpage.html"
BRIEFS = "brief-items-2020-06-11.html"
FRONT = "edition-2015-03-26-front.html"
SUBSCRIPTION = "subscription-required.html"
BRIEF_2026 = "brief-2026-modern-nobyline.html"
TABLE_2012 = "article-2012-table-feature.html"
GUEST_2019 = "article-2019-grid-guest.html"
FRONT_2026 = "edition-2026-modern-front.html"
BIGPAGE_2008 = "edition-2008-table-bigpage.html"

MODERN_CHROME = (
    "Index entries for this article",
    "Memory management/Guard pages",
    "cookies",
    "Privacy policy",
    "Accept",
    "Deny",
)
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
# What must stay out of every item body of a page, beside the shared chrome strings and
# the item's own "By <author>" lines.
ITEM_CHROME: dict[str, tuple[str, ...]] = {
    BIGPAGE: ("Comments (", "Full Story", "[Posted", "contributed by"),
    BRIEFS: ("[Posted", "Full Story", "comments:", "Announcements>>"),
    FRONT: TABLE_CHROME,
    CAPABILITIES: (
        "Comments (14 posted)",
        "Posted Jun",
        "kmartens",
        "Why not fix",
        "Counting capabilities",
        "subscriber, #",
    ),
    DETAILS: (*MODERN_CHROME, "Cheaper than PROT_NONE", "mpadlock", "Posted Jan", "responses"),
    GUEST: (
        "This article was contributed by",
        "lifeblood",
        "readers pay for it",
        "subscription page",
        "June 4, 2020",
    ),
    BRIEF_2026: ("Printable page", "cookies", "Recent Features"),
    TABLE_2012: (
        *TABLE_CHROME[2:],
        "Comments (6 posted)",
        "Why not copy",
        "dgeissler",
        "Posted Apr",
    ),
    GUEST_2019: (
        "We're bad at marketing",
        "marketing",
        "contributed by",
        "Layer order",
        "Posted Aug",
    ),
    FRONT_2026: ("Comments (", "Full Story", "[Posted", "Brief items>>", "One big page"),
    BIGPAGE_2008: (*TABLE_CHROME[2:], "[Posted", "Full Story", "comments:", "München"),
}
ITEMS = [
    (name, item.title)
    for name in ITEM_CHROME
    for item in fixture_page(name).items  # parsing is cached, so this costs once
]

# (page, item title, how its body starts once bylines, nag boxes and bare text are handled)
BODY_STARTS: list[tuple[str, str, str]] = [
    (CAPABILITIES, "A crop of new capabilities", "Capabilities let a process carry out"),
    (DETAILS, "Guard regions for file-backed mappings", "Guard pages — inaccessible pages"),
    (
        GUEST,
        "DMA-BUF cache handling: Off the DMA API map (part 1)",
        "The 5.6 kernel gained the DMA-BUF heaps interface",
    ),
    (FRONT, "Kernel release cycles, measured", "With the 4.0 release drawing near"),
    (
        BIGPAGE,
        "5.8 Merge window, part 1",
        "In the four days since the 5.8 merge window",
    ),
]
# (page, item title, text of the next item or mojibake that must not be in its body)
BODY_LACKS: list[tuple[str, str, str]] = [
    (BIGPAGE, "Seccomp and deep argument inspection", "Merge window"),
    (BIGPAGE, "Seccomp and deep argument inspection", "â€"),  # UTF-8 read as Latin-1
    (BIGPAGE, "Home Assistant, the Python IoT hub", "Kernel release status"),
    (BIGPAGE, "Home Assistant, the Python IoT hub", "5.7.2"),
    (BRIEFS, "kernel: information leak via special-register buffers", "Tor Browser"),
    (BRIEFS, "Tor Browser 9.5 released", "CVE-2020-0543"),
    (BRIEFS, "Python 3.9.0b3 released", "Git 2.27.0"),
    (FRONT, "A trademark battle in the Arduino community", "Release histories"),
    (FRONT, "Kernel release cycles, measured", "reproducible"),
    (FRONT_2026, "Packaging policy after the xz scare", "7.0-rc1"),
    (BIGPAGE_2008, "Counting the cost of a 1024×768 boot splash", "openssh"),
    (BIGPAGE_2008, "Firefox 3.0.1 fixes two flaws", "2.6.26"),
    (BIGPAGE_2008, "A desktop search for the rest of us", "Ã"),  # Latin-1 read as UTF-8
]


def _ids(rows: list[tuple[str, str, str]] | list[tuple[str, str]]) -> list[str]:
    return [f"{row[0].removesuffix('.html')}:{row[1]}"[:60] for row in rows]


@pytest.mark.parametrize(("name", "title"), ITEMS, ids=_ids(ITEMS))
def test_it_keeps_chrome_bylines_and_comment_links_out_of_item_bodies(
    name: str, title: str
) -> None:
    item = item_titled(fixture_page(name), title)
    bylines = [f"By {author}" for author in item.authors]
    assert_no_chrome(item.body_text, extra=[*ITEM_CHROME[name], *bylines])


@pytest.mark.parametrize(("name", "title", "opening"), BODY_STARTS, ids=_ids(BODY_STARTS))
def test_it_starts_each_body_with_its_first_words(name: str, title: str, opening: str) -> None:
    assert squash(item_titled(fixture_page(name), title).body_text).startswith(opening)


@pytest.mark.parametrize(("name", "title", "text"), BODY_LACKS, ids=_ids(BODY_LACKS))
def test_it_does_not_let_one_item_swallow_the_next(name: str, title: str, text: str) -> None:
    assert text not in item_titled(fixture_page(name), title).body_text


@pytest.mark.parametrize("name", [CAPABILITIES, DETAILS, TABLE_2012, GUEST_2019])
def test_it_keeps_poster_lines_buttons_and_titles_out_of_comment_bodies(name: str) -> None:
    page = fixture_page(name)
    extra = ["Posted Jun", "Posted Jan", "Posted Apr", "Posted Aug", "[Link]", "response"]
    extra += list(MODERN_CHROME) if name == DETAILS else []
    for comment in page.comments:
        assert_no_chrome(comment.body_text, extra=[*extra, f"({comment.role}, #"])
        assert not squash(comment.body_text).startswith(comment.title)


def test_it_keeps_each_modern_comment_body_apart_from_its_replies() -> None:
    page = fixture_page(DETAILS)
    assert "/proc/pid/maps" not in comment_by_id(page, 1006210).body_text
    assert "pagemap bit" not in comment_by_id(page, 1006231).body_text


@pytest.mark.parametrize("name", [BIGPAGE, FRONT, BRIEFS, FRONT_2026, BIGPAGE_2008])
def test_it_numbers_items_in_ascending_page_order(name: str) -> None:
    positions = [item.position for item in fixture_page(name).items]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


@pytest.mark.parametrize(
    ("name", "url", "lwn_id"),
    [
        (BIGPAGE, "https://lwn.net/Articles/822335/bigpage", 822335),
        (SUBSCRIPTION, "https://lwn.net/Articles/783673/", 783673),
    ],
)
def test_it_keeps_the_url_hint_beside_the_id_from_the_page(
    name: str, url: str, lwn_id: int
) -> None:
    hinted: ParsedPage = parse_page(fixture_path(name).read_bytes(), url=url)
    assert hinted.url == url
    assert hinted.lwn_id == lwn_id
