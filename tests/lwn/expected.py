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


def ymd(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


# --- titles used by more than one table -------------------------------------------

CAPABILITIES_TITLE = "A crop of new capabilities"
DETAILS_TITLE = "Guard regions for file-backed mappings"
GUEST_TITLE = "DMA-BUF cache handling: Off the DMA API map (part 1)"

BIGPAGE_DATE = ymd(2020, 6, 11)
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
        "date": ymd(2020, 6, 8),
        "free_on": None,
        "layout": "grid",
    },
    DETAILS: {
        "page_kind": "article",
        "lwn_id": 1006127,
        "title": DETAILS_TITLE,
        "date": ymd(2025, 1, 22),
        "free_on": None,
        "layout": "modern",
    },
    GUEST: {
        "page_kind": "article",
        "lwn_id": 822052,
        "title": GUEST_TITLE,
        "date": ymd(2020, 6, 4),
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
        "date": ymd(2015, 3, 26),
        "free_on": None,
        "layout": "table",
        "comments": [],
    },
    SUBSCRIPTION: {
        "page_kind": "subscription_required",
        "lwn_id": 783673,  # the withheld article
        "title": "Managing sysctl knobs with BPF",
        "date": None,  # no publication date on a paywall page
        "free_on": ymd(2019, 4, 4),  # split over two lines in the page, as on the real site
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
