"""The items and bodies the parser must read from the fixtures, as tables (see ``expected``)."""

from __future__ import annotations

import datetime as dt

from tests.lwn.expected import (
    ARDUINO,
    BIGPAGE,
    BIGPAGE_DATE,
    BIGPAGE_INTRO,
    BRIEFS,
    CAPABILITIES,
    CAPABILITIES_TITLE,
    DETAILS,
    DETAILS_TITLE,
    FRONT,
    GUEST,
    GUEST_TITLE,
    HOME_ASSISTANT,
    MERGE_WINDOW,
    PYTHON_BETA,
    RELEASES,
    REPRO,
    SECCOMP,
    TOR,
    VULN,
    Fields,
    OneOf,
    ymd,
)

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
            "date": ymd(2020, 6, 8),
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
            "date": ymd(2025, 1, 22),
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
            "date": ymd(2020, 6, 4),
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
    (BIGPAGE, SECCOMP, _bigpage(822256, "feature", FRONT_PAGE, EDGE, ymd(2020, 6, 10), 7)),
    (BIGPAGE, MERGE_WINDOW, _bigpage(821534, "feature", FRONT_PAGE, CORBET, ymd(2020, 6, 5), 12)),
    (
        BIGPAGE,
        CAPABILITIES_TITLE,
        _bigpage(821729, "feature", FRONT_PAGE, CORBET, ymd(2020, 6, 8), 14),
    ),
    (
        BIGPAGE,
        GUEST_TITLE,
        _bigpage(822052, "guest", FRONT_PAGE, ["John Stultz"], ymd(2020, 6, 4), 8),
    ),
    (
        BIGPAGE,
        HOME_ASSISTANT,
        _bigpage(822350, "feature", FRONT_PAGE, ["John Coggeshall"], ymd(2020, 6, 10), 16),
    ),
    (
        BIGPAGE,
        "Kernel release status",
        _bigpage(822466, "brief", "Brief items: Kernel development", CORBET, ymd(2020, 6, 10), 3),
    ),
    (
        BIGPAGE,
        "openSUSE Leap 15.2 release candidate available",
        _bigpage(822481, "brief", "Brief items: Distributions", EDGE, ymd(2020, 6, 10), 2),
    ),
    (
        BIGPAGE,
        PYTHON_BETA,
        _bigpage(822490, "brief", "Brief items: Development", CORBET, ymd(2020, 6, 9), 1),
    ),
    (
        BIGPAGE,
        "Conferences move online",
        _bigpage(822500, "brief", "Announcements", EDGE, ymd(2020, 6, 10), 0),
    ),
    (BRIEFS, TOR, _brief(822099, "Security", EDGE, ymd(2020, 6, 4), 2)),
    (
        BRIEFS,
        "Kernel release status",
        _brief(822466, "Kernel development", CORBET, ymd(2020, 6, 10), 3),
    ),
    (
        BRIEFS,
        "Quote of the week",
        _brief(822470, "Kernel development: Quote of the week", CORBET, ymd(2020, 6, 10), 0),
    ),
    (
        BRIEFS,
        "openSUSE Leap 15.2 release candidate available",
        _brief(822481, "Distributions", EDGE, ymd(2020, 6, 10), 2),
    ),
    (BRIEFS, PYTHON_BETA, _brief(822490, "Development", CORBET, ymd(2020, 6, 9), 1)),
    (
        BRIEFS,
        "Git v2.27.0 released",
        _brief(822121, "Development: Miscellaneous", EDGE, ymd(2020, 6, 4), 4),
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
    (FRONT, ARDUINO, _front(637755, ["Nathan Willis"], ymd(2015, 3, 25), 5)),
    (FRONT, RELEASES, _front(637621, CORBET, ymd(2015, 3, 25), 9)),
    (FRONT, REPRO, _front(637712, EDGE, ymd(2015, 3, 25), 21)),
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
