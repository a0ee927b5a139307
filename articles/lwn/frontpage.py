"""The lwn.net home page: about twenty headline teasers, each linking to its own page.

Each item is a ``Headline`` element (``div`` before 2017, ``h2`` since) with the
title ("[$] " first when subscriber-only), then, usually inside a
``div.BlurbListing``: a details line "[Section] Posted <Mon D, YYYY H:MM UTC
(Day)> by <login>", the blurb, and a link line to the item's own page ("Full
Story (comments: N)", "Comments (N posted)", "Read more", "Read the full
article"). The details and link lines are read and kept out of the blurb.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement

from .bylines import login_name
from .chrome import trim
from .dates import parse_datetime
from .dom import (
    ancestor_ids,
    article_id,
    attr,
    bounded_text,
    collapse,
    first_descendant,
    first_link,
    has_class,
    is_blank,
    links,
    short_text,
    sibling_run,
)
from .index import PageIndex, layout_of
from .text import BLOCK_TAGS, render
from .types import FrontPageItem, ItemKind, Layout
from .warnings import Warnings

WELCOME = "Welcome to LWN.net"
_WELCOME_RE = re.compile(r"^\s*Welcome\s+to\s+LWN\.net\s*(?:\[LWN\.net\])?\s*$", re.IGNORECASE)
_SUBSCRIBER_RE = re.compile(r"^\s*\[\$\]\s*")
_DETAILS_RE = re.compile(
    r"^\s*(?:\[(?P<section>[^\]]{1,60})\]\s*)?Posted\s+(?P<when>.+?)\s+by\s+(?P<login>[^\s\]]+)",
    re.IGNORECASE,
)
# The phrases of the line linking to the item's own page; the line holds
# nothing else but punctuation.
_POSTED_RE = re.compile(r"Comments\s*\(\s*(\d+|none)\s+posted\s*\)", re.IGNORECASE)
_COUNT_RE = re.compile(r"\(\s*comments:\s*(\d+|none)\s*\)", re.IGNORECASE)
_STORY_RE = re.compile(r"Full\s+Story", re.IGNORECASE)
_MORE_RE = re.compile(r"Read\s+the\s+full\s+article|Read\s+more", re.IGNORECASE)
_LEFTOVER_RE = re.compile(r"^[\s()\[\]|/,.:;\u00b7\u2022-]*$")
# The details line is the first line of a blurb, the link line its last few nodes.
_LINE_MAX_CHARS = 300
_LINK_LOOKBACK = 3
_HOME_PATHS = frozenset({"", "/", "/index.html"})


@dataclass(frozen=True, slots=True)
class _Details:
    section: str | None
    poster: str | None
    posted_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class _OwnLink:
    lwn_id: int | None
    count: int | None
    kind: ItemKind


def is_welcome_title(title: str) -> bool:
    return bool(_WELCOME_RE.match(title))


def is_home_url(url: str | None) -> bool:
    """``https://lwn.net/`` (with or without scheme, slash or query)."""
    if not url:
        return False
    text = url.strip().lower().split("#", 1)[0].split("?", 1)[0]
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    text = text.removeprefix("www.")
    return text.startswith("lwn.net") and text.removeprefix("lwn.net") in _HOME_PATHS


def may_have_headlines(text: str) -> bool:
    """A cheap look at the decoded page: any ``Headline`` class besides ``PageHeadline``?"""
    return text.count("Headline") > text.count("PageHeadline")


def headline_tags(soup: BeautifulSoup) -> list[Tag]:
    """Every element with the ``Headline`` class, in page order (a plain
    walk: ``find_all``'s filter objects cost more than the search)."""
    return [
        node
        for node in soup.descendants
        if isinstance(node, Tag) and "class" in node.attrs and has_class(node, "Headline")
    ]


def page_layout(index: PageIndex, warnings: Warnings) -> Layout:
    """The home page's generation: "modern" with a ``<main>``, "grid" with the
    Pure CSS classes, else "table"."""
    return layout_of(
        index, modern=bool(index.mains) or index.has_details_comments, warnings=warnings
    )


def front_page_items(
    index: PageIndex, headlines: list[Tag], warnings: Warnings
) -> list[FrontPageItem]:
    """The home page's items in page order; items without an id are skipped."""
    for tag in index.chrome:  # ads, scripts and forms may sit inside a blurb
        if tag.parent is not None:
            tag.extract()
    stop_ids = {id(tag) for tag in headlines}
    around = ancestor_ids(headlines)
    items: list[FrontPageItem] = []
    for number, headline in enumerate(headlines):
        if headline.parent is None:
            continue  # inside chrome that was removed
        item = _item(headline, _blurb_nodes(headline, stop_ids, around), len(items))
        if item is None:
            warnings.add(
                "frontpage-item-no-id",
                f"headline {number}",
                f"headline {short_text(headline)[:80]!r} links to no LWN article; skipped",
            )
            continue
        items.append(item)
    if not items:
        warnings.add("frontpage-no-items", "page", "front page has no headline items")
    return items


def _item(headline: Tag, nodes: list[PageElement], position: int) -> FrontPageItem | None:
    title = short_text(headline)
    subscriber_only = bool(_SUBSCRIBER_RE.match(title))
    title = _SUBSCRIBER_RE.sub("", title)
    details = _take_details(nodes)
    own = _take_own_link(nodes)
    lwn_id = own.lwn_id if own is not None else None
    if lwn_id is None:
        anchor = first_link(headline)
        lwn_id = article_id(attr(anchor, "href")) if anchor is not None else None
    if lwn_id is None or not title:
        return None
    rendered = render(trim(nodes))
    return FrontPageItem(
        lwn_id=lwn_id,
        title=title,
        kind=own.kind if own is not None else "brief",
        subscriber_only=subscriber_only,
        section=details.section if details else None,
        poster=details.poster if details else None,
        posted_at=details.posted_at if details else None,
        comment_count=own.count if own is not None else None,
        blurb_html=rendered.html,
        blurb_text=rendered.text,
        position=position,
    )


def _blurb_nodes(headline: Tag, stop_ids: set[int], around: set[int]) -> list[PageElement]:
    """What follows *headline* up to the next one: the children of its
    ``BlurbListing`` when it has one, else the sibling run itself."""
    run = sibling_run(headline, stop_ids, around)
    for node in run:
        if isinstance(node, Tag):
            listing = first_descendant(node, _is_listing)
            if listing is not None:
                return list(listing.children)
    return run


def _is_listing(tag: Tag) -> bool:
    return has_class(tag, "BlurbListing")


def _take_details(nodes: list[PageElement]) -> _Details | None:
    """Read and remove the "[Section] Posted … by login" line at the start:
    one element, or a bare inline run ending at a ``<br>``."""
    start = next((n for n, node in enumerate(nodes) if not is_blank(node)), None)
    if start is None:
        return None
    first = nodes[start]
    if isinstance(first, Tag) and first.name in BLOCK_TAGS:
        end, text = start + 1, bounded_text(first, _LINE_MAX_CHARS)
    else:
        end, text = _inline_line(nodes, start)
    if text is None or len(text) > _LINE_MAX_CHARS:
        return None
    match = _DETAILS_RE.match(collapse(text))
    if match is None:
        return None
    del nodes[start:end]
    section = match.group("section")
    return _Details(
        section=collapse(section) if section else None,
        poster=login_name(match.group("login")),
        posted_at=parse_datetime(match.group("when")),
    )


def _inline_line(nodes: list[PageElement], start: int) -> tuple[int, str | None]:
    """The text of the inline nodes from *start* to a ``<br>`` or block, and
    where the line ends (past the ``<br>``); None once it grows too long."""
    end, size = start, 0
    parts: list[str] = []
    while end < len(nodes):
        node = nodes[end]
        if isinstance(node, Tag):
            if node.name == "br":
                return end + 1, "".join(parts)
            if node.name in BLOCK_TAGS:
                break
            text = bounded_text(node, _LINE_MAX_CHARS) or ""
        else:
            text = str(node) if type(node) is NavigableString else ""
        size += len(text)
        if size > _LINE_MAX_CHARS:
            return end, None
        parts.append(text)
        end += 1
    return end, "".join(parts)


def _take_own_link(nodes: list[PageElement]) -> _OwnLink | None:
    """Read and remove the trailing link line ("Full Story (comments: 2)" and
    the like) from the last one to three non-blank nodes."""
    tail: list[int] = []  # positions, last first
    texts: list[str] = []
    for position in range(len(nodes) - 1, -1, -1):
        node = nodes[position]
        if is_blank(node):
            continue
        text = bounded_text(node, _LINE_MAX_CHARS) if isinstance(node, Tag) else str(node)
        if text is None or len(text) > _LINE_MAX_CHARS:
            return None
        tail.append(position)
        texts.insert(0, text)
        found = _read_link_line(collapse(" ".join(texts)), [nodes[n] for n in reversed(tail)])
        if found is not None:
            for n in tail:  # descending, so earlier positions stay valid
                del nodes[n]
            return found
        if len(tail) >= _LINK_LOOKBACK:
            return None
    return None


def _read_link_line(text: str, nodes: list[PageElement]) -> _OwnLink | None:
    count: int | None = None
    kind: ItemKind | None = None
    for pattern in (_POSTED_RE, _COUNT_RE):
        match = pattern.search(text)
        if match is not None:
            count = 0 if match.group(1).lower() == "none" else int(match.group(1))
            kind = "feature" if pattern is _POSTED_RE else kind
            text = pattern.sub(" ", text)
    if _STORY_RE.search(text):
        kind, text = "brief", _STORY_RE.sub(" ", text)
    if _MORE_RE.search(text):
        kind, text = kind or "feature", _MORE_RE.sub(" ", text)
    if kind is None or not _LEFTOVER_RE.match(text):
        return None
    anchors = [anchor for node in nodes if isinstance(node, Tag) for anchor in links(node)]
    if not anchors:
        return None  # link words in plain text are the blurb's own
    ids = [article_id(attr(anchor, "href")) for anchor in anchors]
    # The last link to an article is the item's own page (the comments anchor).
    lwn_id = next((found for found in reversed(ids) if found is not None), None)
    return _OwnLink(lwn_id, count, kind)
