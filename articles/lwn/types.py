"""Typed results of parsing one LWN page.

These dataclasses are the parser's whole public output: the ingest services
store them and ``lwn_parse`` prints them. They hold plain values only (no
BeautifulSoup objects) so they can be pickled, compared and serialised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from .warnings import ParseWarning

PageKind = Literal["edition", "article", "subscription_required", "frontpage"]
ItemKind = Literal["feature", "guest", "brief"]
Layout = Literal["table", "grid", "modern"]


class LWNParseError(ValueError):
    """The bytes are not an LWN page, or are damaged beyond use.

    The only exception the parser raises on bad input; ``str(err)`` is a
    one-line reason fit to show a user.
    """


@dataclass(frozen=True, slots=True)
class MergeWindowGroup:
    title: str
    items: list[str]
    # The same entries as sanitisable HTML fragments, parallel to ``items``.
    items_html: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MergeWindow:
    kernel_version: str
    part: int | None
    groups: list[MergeWindowGroup]


@dataclass(frozen=True, slots=True)
class HardwareCategory:
    category: str
    devices: list[str]


@dataclass(frozen=True, slots=True)
class ParsedItem:
    lwn_id: int | None
    title: str
    kind: ItemKind
    section: str | None
    authors: list[str]
    date: dt.date | None
    comment_count: int | None
    body_html: str
    body_text: str
    position: int = 0
    url: str | None = None
    merge_window: MergeWindow | None = None
    hardware: list[HardwareCategory] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ParsedComment:
    lwn_id: int
    parent_id: int | None
    title: str
    author: str
    role: str | None
    posted_at: dt.datetime  # timezone-aware, UTC
    depth: int
    body_html: str
    body_text: str


@dataclass(frozen=True, slots=True)
class FrontPageItem:
    """One headline on the lwn.net home page: a teaser, not the article.

    The home page shows a blurb of each item and links to its own page; the
    ingest stores it without ever overwriting text stored from that page.
    """

    lwn_id: int
    title: str  # without the "[$]" subscriber marker
    # From the link to the item's own page: "Comments (N posted)" / "Read the full
    # article" mean a feature; "Full Story (comments: N)" a brief. A guess until the
    # item's own page is imported.
    kind: ItemKind
    subscriber_only: bool  # the title carried "[$]"
    section: str | None  # "Kernel" from "[Kernel]"
    poster: str | None  # "Posted <time> by <poster>"
    posted_at: dt.datetime | None  # timezone-aware, UTC
    comment_count: int | None
    blurb_html: str
    blurb_text: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class ParsedPage:
    page_kind: PageKind
    lwn_id: int | None
    title: str
    date: dt.date | None
    free_on: dt.date | None
    layout: Layout
    items: list[ParsedItem]
    comments: list[ParsedComment]
    warnings: list[ParseWarning]
    url: str | None = None
    # Edition pages only: the edition this page belongs to. Equals ``lwn_id`` for the
    # front page and the one-big-page form; differs for inner pages such as "Brief items".
    edition_lwn_id: int | None = None
    # Front pages only: the headline items, in page order.
    headlines: list[FrontPageItem] = field(default_factory=list)
