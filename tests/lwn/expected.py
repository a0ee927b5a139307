"""What the parser must read from each fixture under ``tests/fixtures/lwn/``, as tables.

The table-driven tests (``test_fixtures_*.py``) check these rows against every fixture
alike; the ``test_fixture_<name>.py`` files keep what only one fixture shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

CAPABILITIES = "article-2020-capabilities-comments.html"
DETAILS = "article-2024-details-comments.html"
GUEST = "article-guest-dmabuf.html"
BIGPAGE = "edition-2020-06-11-bigpage.html"
BRIEFS = "brief-items-2020-06-11.html"
FRONT = "edition-2015-03-26-front.html"
SUBSCRIPTION = "subscription-required.html"


class OneOf:
    """Equal to any of ``values``: where more than one reading is honest."""

    def __init__(self, *values: object) -> None:
        self.values = values

    def __eq__(self, other: object) -> bool:
        return other in self.values

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"OneOf{self.values!r}"


Fields = Mapping[str, Any]


def _d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


# --- titles used by more than one table -------------------------------------------

CAPABILITIES_TITLE = "A crop of new capabilities"
DETAILS_TITLE = "Guard regions for file-backed mappings"
GUEST_TITLE = "DMA-BUF cache handling: Off the DMA API map (part 1)"

BIGPAGE_DATE = _d(2020, 6, 11)
BIGPAGE_INTRO = "Welcome to the LWN.net Weekly Edition for June 11, 2020"
MERGE_WINDOW = "5.8 Merge window, part 1"
SECCOMP = "Seccomp and deep argument inspection"
HOME_ASSISTANT = "Home Assistant, the Python IoT hub"

VULN = "kernel: information leak via special-register buffers"
TOR = "Tor Browser 9.5 released"
PYTHON_BETA = "Python 3.9.0b3 released"

ARDUINO = "A trademark battle in the Arduino community"
RELEASES = "Kernel release cycles, measured"
REPRO = "Debian and reproducible builds"

# --- pages: fixture -> the page's own fields ---------------------------------------

HEADERS: dict[str, Fields] = {
    CAPABILITIES: {
        "page_kind": "article",
        "lwn_id": 821729,
        "title": CAPABILITIES_TITLE,
        "date": _d(2020, 6, 8),
        "free_on": None,
        "layout": "grid",
    },
    DETAILS: {
        "page_kind": "article",
        "lwn_id": 1006127,
        "title": DETAILS_TITLE,
        "date": _d(2025, 1, 22),
        "free_on": None,
        "layout": "modern",
    },
    GUEST: {
        "page_kind": "article",
        "lwn_id": 822052,
        "title": GUEST_TITLE,
        "date": _d(2020, 6, 4),
        "free_on": None,
        "layout": "grid",
        "comments": [],
    },
    BIGPAGE: {
        "page_kind": "edition",
        "lwn_id": 822335,
        "title": "LWN.net Weekly Edition for June 11, 2020",
        "date": BIGPAGE_DATE,
        "free_on": None,
        "layout": "grid",
        "comments": [],  # an edition page has none
    },
    BRIEFS: {
        "page_kind": "edition",
        "lwn_id": 822336,
        "title": "Brief items",
        # The page names no edition date of its own; the edition's date is acceptable.
        "date": OneOf(None, BIGPAGE_DATE),
        "free_on": None,
        "layout": "grid",
        "comments": [],
    },
    FRONT: {
        "page_kind": "edition",
        "lwn_id": 637393,  # the sidebar's a.Current link
        "title": "LWN.net Weekly Edition for March 26, 2015",
        "date": _d(2015, 3, 26),
        "free_on": None,
        "layout": "table",
        "comments": [],
    },
    SUBSCRIPTION: {
        "page_kind": "subscription_required",
        "lwn_id": 783673,  # the withheld article
        "title": "Managing sysctl knobs with BPF",
        "date": None,  # no publication date on a paywall page
        "free_on": _d(2019, 4, 4),  # split over two lines in the page, as on the real site
        "layout": "grid",
        "items": [],
        "comments": [],
    },
}

# --- items: fixture -> titles in page order ---------------------------------------

BIGPAGE_FEATURES = [
    SECCOMP,
    MERGE_WINDOW,
    CAPABILITIES_TITLE,
    GUEST_TITLE,
    HOME_ASSISTANT,
]
BIGPAGE_BRIEFS = [
    "Kernel release status",
    "openSUSE Leap 15.2 release candidate available",
    PYTHON_BETA,
    "Conferences move online",
]
BRIEF_TITLES = [
    TOR,
    "Kernel release status",
    "Quote of the week",
    "openSUSE Leap 15.2 release candidate available",
    PYTHON_BETA,
    "Git v2.27.0 released",
]
FRONT_FEATURES = [ARDUINO, RELEASES, REPRO]

TITLES: dict[str, list[str]] = {
    CAPABILITIES: [CAPABILITIES_TITLE],
    DETAILS: [DETAILS_TITLE],
    GUEST: [GUEST_TITLE],
    BIGPAGE: [BIGPAGE_INTRO, *BIGPAGE_FEATURES, *BIGPAGE_BRIEFS],
    BRIEFS: [VULN, *BRIEF_TITLES],
    # The unclassed "Inside this week's" <h2> is chrome, not an item.
    FRONT: FRONT_FEATURES,
}


# --- items: (fixture, title) -> the item's fields ----------------------------------


def _bigpage(
    lwn_id: int, kind: str, section: str, authors: list[str], date: dt.date, n: int
) -> Fields:
    return {
        "lwn_id": lwn_id,
        "kind": kind,
        "section": section,
        "authors": authors,
        "date": date,
        "comment_count": n,
    }


def _brief(lwn_id: int, section: str, authors: list[str], date: dt.date, n: int) -> Fields:
    # authors: login names mapped to full names
    return {
        "lwn_id": lwn_id,
        "kind": "brief",
        "section": section,
        "authors": authors,
        "date": date,
        "comment_count": n,
        "url": f"https://lwn.net/Articles/{lwn_id}/",
    }


def _front(lwn_id: int, authors: list[str], date: dt.date, n: int) -> Fields:
    return {
        "lwn_id": lwn_id,
        "kind": "feature",
        "authors": authors,
        "date": date,
        "comment_count": n,
        "url": f"https://lwn.net/Articles/{lwn_id}/",
        "merge_window": None,
        "hardware": [],
    }


CORBET, EDGE = ["Jonathan Corbet"], ["Jake Edge"]
FRONT_PAGE = "Front page"

ITEMS: list[tuple[str, str, Fields]] = [
    (
        CAPABILITIES,
        CAPABILITIES_TITLE,
        {
            "lwn_id": 821729,
            "kind": "feature",
            "section": None,
            "authors": CORBET,
            "date": _d(2020, 6, 8),
            "comment_count": 14,
            "url": "https://lwn.net/Articles/821729/",
            "merge_window": None,
            "hardware": [],
        },
    ),
    (
        DETAILS,
        DETAILS_TITLE,
        {
            "lwn_id": 1006127,
            "kind": "feature",
            "section": None,
            "authors": CORBET,
            "date": _d(2025, 1, 22),
            "url": "https://lwn.net/Articles/1006127/",
            "merge_window": None,
            "hardware": [],
        },
    ),
    (
        GUEST,
        GUEST_TITLE,
        {
            "lwn_id": 822052,
            "kind": "guest",
            "section": None,
            "authors": ["John Stultz"],
            "date": _d(2020, 6, 4),
            "url": "https://lwn.net/Articles/822052/",
            "merge_window": None,
            "hardware": [],
            # No comment link and no comment boxes: "unknown" and "none" are both honest.
            "comment_count": OneOf(None, 0),
        },
    ),
    (
        BIGPAGE,
        BIGPAGE_INTRO,
        {
            "lwn_id": 822349,
            "kind": "feature",
            "section": FRONT_PAGE,
            "authors": [],  # no byline
            "comment_count": 0,  # "Comments (none posted)"
            # No dateline of its own; inheriting the edition date is acceptable.
            "date": OneOf(None, BIGPAGE_DATE),
            "merge_window": None,
        },
    ),
    (BIGPAGE, SECCOMP, _bigpage(822256, "feature", FRONT_PAGE, EDGE, _d(2020, 6, 10), 7)),
    (BIGPAGE, MERGE_WINDOW, _bigpage(821534, "feature", FRONT_PAGE, CORBET, _d(2020, 6, 5), 12)),
    (
        BIGPAGE,
        CAPABILITIES_TITLE,
        _bigpage(821729, "feature", FRONT_PAGE, CORBET, _d(2020, 6, 8), 14),
    ),
    (
        BIGPAGE,
        GUEST_TITLE,
        _bigpage(822052, "guest", FRONT_PAGE, ["John Stultz"], _d(2020, 6, 4), 8),
    ),
    (
        BIGPAGE,
        HOME_ASSISTANT,
        _bigpage(822350, "feature", FRONT_PAGE, ["John Coggeshall"], _d(2020, 6, 10), 16),
    ),
    (
        BIGPAGE,
        "Kernel release status",
        _bigpage(822466, "brief", "Brief items: Kernel development", CORBET, _d(2020, 6, 10), 3),
    ),
    (
        BIGPAGE,
        "openSUSE Leap 15.2 release candidate available",
        _bigpage(822481, "brief", "Brief items: Distributions", EDGE, _d(2020, 6, 10), 2),
    ),
    (
        BIGPAGE,
        PYTHON_BETA,
        _bigpage(822490, "brief", "Brief items: Development", CORBET, _d(2020, 6, 9), 1),
    ),
    (
        BIGPAGE,
        "Conferences move online",
        _bigpage(822500, "brief", "Announcements", EDGE, _d(2020, 6, 10), 0),
    ),
    (BRIEFS, TOR, _brief(822099, "Security", EDGE, _d(2020, 6, 4), 2)),
    (
        BRIEFS,
        "Kernel release status",
        _brief(822466, "Kernel development", CORBET, _d(2020, 6, 10), 3),
    ),
    (
        BRIEFS,
        "Quote of the week",
        _brief(822470, "Kernel development: Quote of the week", CORBET, _d(2020, 6, 10), 0),
    ),
    (
        BRIEFS,
        "openSUSE Leap 15.2 release candidate available",
        _brief(822481, "Distributions", EDGE, _d(2020, 6, 10), 2),
    ),
    (BRIEFS, PYTHON_BETA, _brief(822490, "Development", CORBET, _d(2020, 6, 9), 1)),
    (
        BRIEFS,
        "Git v2.27.0 released",
        _brief(822121, "Development: Miscellaneous", EDGE, _d(2020, 6, 4), 4),
    ),
    (
        BRIEFS,
        VULN,
        # The CVE and advisory links after the title are not the entry's own link.
        {
            "lwn_id": None,
            "url": None,
            "kind": "brief",
            "section": "Security",
            "authors": [],
            "comment_count": None,
        },
    ),
    (FRONT, ARDUINO, _front(637755, ["Nathan Willis"], _d(2015, 3, 25), 5)),
    (FRONT, RELEASES, _front(637621, CORBET, _d(2015, 3, 25), 9)),
    (FRONT, REPRO, _front(637712, EDGE, _d(2015, 3, 25), 21)),
]

# --- bodies: (fixture, title) -> how the body starts, what it holds, what it must not --

BODY_STARTS: list[tuple[str, str, str]] = [
    (
        CAPABILITIES,
        CAPABILITIES_TITLE,
        "Capabilities let a process carry out specific privileged operations",
    ),
    (DETAILS, DETAILS_TITLE, "Guard pages — inaccessible pages"),
    # after the byline and the nag box
    (GUEST, GUEST_TITLE, "The 5.6 kernel gained the DMA-BUF heaps interface"),
    # bare leading text that has no paragraph
    (FRONT, RELEASES, "With the 4.0 release drawing near"),
]

# The capabilities article, on its own page and in the big page.
CAPABILITIES_FACTS = [
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
]

BODY_FACTS: list[tuple[str, str, list[str]]] = [
    (CAPABILITIES, CAPABILITIES_TITLE, [*CAPABILITIES_FACTS, "CAP_CHECKPOINT", "—"]),
    (
        DETAILS,
        DETAILS_TITLE,
        [
            "MADV_GUARD_INSTALL",
            "MADV_GUARD_REMOVE",
            "PROT_NONE",
            "Lorenzo Stoakes",
            "6.13",
            "How guard regions work",
            "Extending to files",
            "userfaultfd",
        ],
    ),
    (
        GUEST,
        GUEST_TITLE,
        [
            "DMA-BUF heaps",
            "ION",
            "image signal processor (ISP)",
            "The DMA API",
            "DMA-BUFs",
            "dma_map_single()",
            "dma_buf_attach()",
            "dma_buf_map_attachment()",
            "dma_buf_unmap_attachment()",
            "dma_buf_detach()",
            "dma_map_sg()",
            "4.12",
            "4.9",
            "4.14",
            "—",
        ],
    ),
    (BIGPAGE, BIGPAGE_INTRO, ["features in this week's edition", "Brief items", "Announcements"]),
    (
        BIGPAGE,
        SECCOMP,
        [
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
            "—",  # non-ASCII text decoded as UTF-8
        ],
    ),
    (
        BIGPAGE,
        MERGE_WINDOW,
        [
            "7,500 non-merge changesets",
            "faccessat2()",
            "Leadtek LTK050H3146W",
            "CAP_PERFMON",
            "June 14",
        ],
    ),
    (BIGPAGE, CAPABILITIES_TITLE, CAPABILITIES_FACTS),
    (
        BIGPAGE,
        GUEST_TITLE,
        [
            "DMA-BUF heaps",
            "ION",
            "dma_buf_attach()",
            "dma_buf_map_attachment()",
            "dma_map_sg()",
            "4.12",
            "The DMA API",
        ],
    ),
    (
        BIGPAGE,
        HOME_ASSISTANT,
        [
            "Paulus Schoutsen",
            "Raspberry Pi 4 Model B",
            "alias: 'Porch light after dusk'",
            "homeassistant.turn_on",
            "MQTT",
        ],
    ),
    (BIGPAGE, "Kernel release status", ["5.7.2", "4.19.128"]),
    (BIGPAGE, "openSUSE Leap 15.2 release candidate available", ["Leap 15.2"]),
    (BIGPAGE, PYTHON_BETA, ["third beta"]),
    (BIGPAGE, "Conferences move online", ["events calendar"]),
    (BRIEFS, VULN, ["CVE-2020-0543", "SRBDS", "RDRAND"]),
    (BRIEFS, TOR, ["onion service"]),
    (BRIEFS, "Kernel release status", ["5.7.2", "5.6.18", "5.4.46", "4.19.128"]),
    (BRIEFS, "Quote of the week", ["it is a tax", "Jürgen Dürr", "—"]),
    (BRIEFS, "openSUSE Leap 15.2 release candidate available", ["Leap 15.2", "15.1"]),
    (BRIEFS, PYTHON_BETA, ["third beta", "Python 3.9"]),
    (BRIEFS, "Git v2.27.0 released", ["version 2 of the wire protocol"]),
    (
        FRONT,
        ARDUINO,
        ["Arduino LLC", "Arduino Srl", "Smart Projects", "arduino.org", "arduino.cc"],
    ),
    # subheadings and table cells
    (
        FRONT,
        RELEASES,
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
    ),
    (FRONT, RELEASES, ["9½ weeks", "Jürgen Dürr", "—"]),  # non-ASCII text as UTF-8
    (FRONT, REPRO, ["Jürgen Dürr", "—"]),
    (FRONT, REPRO, ["bit-for-bit", "dpkg"]),
]

# Text that belongs to the next item (one item must not swallow the next), or mojibake.
BODY_LACKS: list[tuple[str, str, str]] = [
    (BIGPAGE, SECCOMP, "Merge window"),
    (BIGPAGE, SECCOMP, "â€"),  # UTF-8 read as Latin-1
    (BIGPAGE, HOME_ASSISTANT, "Kernel release status"),
    (BIGPAGE, HOME_ASSISTANT, "5.7.2"),
    (BRIEFS, VULN, "Tor Browser"),
    (BRIEFS, TOR, "CVE-2020-0543"),
    (BRIEFS, PYTHON_BETA, "Git 2.27.0"),
    (FRONT, ARDUINO, "Release histories"),
    (FRONT, RELEASES, "reproducible"),
]

# --- comments: fixture -> (lwn_id, parent_id, depth, title, author, role, posted_at) ---

Comment = tuple[int, int | None, int, str, str, str, dt.datetime]


def _june_2020(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2020, 6, day, hour, minute, tzinfo=dt.UTC)


def _jan_23_2025(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2025, 1, 23, hour, minute, tzinfo=dt.UTC)


_j, _k = _june_2020, _jan_23_2025
COMMENTS: dict[str, list[Comment]] = {
    # In page order. Authors are login names, exactly as shown.
    CAPABILITIES: [
        (821845, None, 0, "Why not fix CAP_SYS_ADMIN?", "kmartens", "subscriber", _j(8, 15, 12)),
        (821851, 821845, 1, "Why not fix CAP_SYS_ADMIN?", "corbet", "editor", _j(8, 15, 40)),
        (821868, 821851, 2, "Compatibility forever", "kmartens", "subscriber", _j(8, 16, 2)),
        (821860, 821845, 1, "Why not fix CAP_SYS_ADMIN?", "sjuergens", "guest", _j(8, 15, 55)),
        (821870, None, 0, "CAP_BPF alone is not much", "olivef", "subscriber", _j(8, 18, 4)),
        (821874, 821870, 1, "CAP_BPF alone is not much", "hvolkmer", "subscriber", _j(8, 18, 31)),
        (821880, 821874, 2, "Tracing in containers", "olivef", "subscriber", _j(8, 19, 10)),
        (821893, 821874, 2, "Tracing in containers", "ptrchaser", "subscriber", _j(8, 20, 47)),
        (821902, None, 0, "No biscuit", "rgbwhite", "subscriber", _j(8, 21, 15)),
        (821905, 821902, 1, "No biscuit", "jrw", "subscriber", _j(8, 22, 3)),
        (821941, None, 0, "CAP_CHECKPOINT as well?", "dkarol", "subscriber", _j(9, 7, 26)),
        (821950, 821941, 1, "CAP_CHECKPOINT as well?", "corbet", "editor", _j(9, 13, 58)),
        (821977, None, 0, "Counting capabilities", "nhaaland", "subscriber", _j(9, 16, 45)),
        (821990, 821977, 1, "Counting capabilities", "capfan", "subscriber", _j(10, 2, 9)),
    ],
    DETAILS: [
        (1006210, None, 0, "Cheaper than PROT_NONE", "mpadlock", "supporter", _k(4, 25)),
        (1006214, 1006210, 1, "Cheaper than PROT_NONE", "vbhat", "subscriber", _k(8, 2)),
        (1006231, 1006214, 2, "Visibility", "mpadlock", "supporter", _k(9, 47)),
        (1006245, 1006231, 3, "Visibility", "corbet", "editor", _k(14, 30)),
        (1006218, 1006210, 1, "Cheaper than PROT_NONE", "anonreader", "guest", _k(10, 15)),
        (1006260, None, 0, "Allocator usage", "rdiez", "subscriber", _k(17, 5)),
    ],
}
