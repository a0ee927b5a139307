"""Turn a title plus a run of body nodes into a ``ParsedItem``.

Shared by editions (one run per ``SummaryHL``) and single article pages.
The run still holds the byline and the trailing "Comments (N posted)" /
"Full Story (comments: N)" line; both are read and taken out of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bs4 import Tag
from bs4.element import PageElement

from . import hardware, mergewindow
from .bylines import Byline, byline_kind, parse_byline
from .chrome import trim
from .dom import (
    absolute_url,
    article_id,
    article_url,
    attr,
    bounded_text,
    collapse,
    first_descendant,
    first_link,
    is_blank,
)
from .text import render
from .types import HardwareCategory, ItemKind, ParsedItem
from .warnings import Warnings

_COUNT_RE = re.compile(
    r"^\(?\s*(?:"
    r"Comments\s*\(\s*(?P<posted>\d+|none)\s+posted\s*\)"
    r"|Full\s+Story\s*(?:\(\s*comments:\s*(?P<story>\d+|none)\s*\))?"
    r")\s*\)?$",
    re.IGNORECASE,
)
# The comments line is the last thing in an item: at most this many non-blank
# nodes from the end, of at most this many characters each.
_COUNT_LOOKBACK = 3
_COUNT_MAX_CHARS = 300


@dataclass(slots=True)
class ItemSource:
    """What the page splitter found for one item."""

    title: str
    nodes: list[PageElement]
    title_tag: Tag | None = None  # SummaryHL or h1: its link gives id and url
    section: str | None = None
    position: int = 0
    lwn_id: int | None = None  # known from the page (article pages)
    url: str | None = None
    fallback_byline: Tag | None = None  # a byline outside *nodes* (article pages)


@dataclass(frozen=True, slots=True)
class CommentLink:
    count: int | None
    href: str
    style: Literal["posted", "story"]  # "Comments (N posted)" / "Full Story (comments: N)"


def build_item(
    source: ItemSource, *, byline_ancestors: set[int], warnings: Warnings
) -> tuple[ParsedItem, CommentLink | None] | None:
    """Build the item; None (and a warning) when it has no title."""
    title = collapse(source.title)
    if not title:
        warnings.add(
            "item-no-title",
            f"item {source.position}",
            f"item at position {source.position} has no title; skipped",
        )
        return None
    nodes = list(source.nodes)
    byline = _take_byline(nodes, byline_ancestors)
    if byline is None and source.fallback_byline is not None:
        byline = parse_byline(source.fallback_byline)
    link = _take_comment_link(nodes)
    nodes = trim(nodes)
    if byline is not None and (byline.date is None or not byline.authors):
        warnings.add(
            "item-byline-incomplete",
            f"item {source.position}",
            f"item {title!r}: byline without a date or author",
        )
    rendered = render(nodes)
    body_html, body_text = rendered.html, rendered.text
    if not body_text and not body_html:
        warnings.add("item-no-body", f"item {source.position}", f"item {title!r} has no body")
    lwn_id, url = _identity(source, link)
    window_and_hardware = mergewindow.build(title, nodes)
    categories: list[HardwareCategory] = []
    window = None
    if window_and_hardware is not None:
        window, hardware_items = window_and_hardware
        entries = (hardware.parse_entry(li, text) for li, text in hardware_items)
        categories = [entry for entry in entries if entry is not None]
    item = ParsedItem(
        lwn_id=lwn_id,
        title=title,
        kind=byline.kind if byline else _kind_without_byline(link),
        section=source.section,
        authors=list(byline.authors) if byline else [],
        date=byline.date if byline else None,
        comment_count=link.count if link else None,
        body_html=body_html,
        body_text=body_text,
        position=source.position,
        url=url,
        merge_window=window,
        hardware=categories,
    )
    return item, link


def _kind_without_byline(link: CommentLink | None) -> ItemKind:
    """No byline: a "Comments (N posted)" line marks a staff front-page piece
    (the edition's welcome item), anything else a brief."""
    return "feature" if link is not None and link.style == "posted" else "brief"


def _identity(source: ItemSource, link: CommentLink | None) -> tuple[int | None, str | None]:
    """The item's LWN id and URL: from its title link, else the page, else
    the comments link."""
    href = ""
    if source.title_tag is not None:
        anchor = first_link(source.title_tag)
        if anchor is not None:
            href = attr(anchor, "href")
    lwn_id = article_id(href) if href else None
    if lwn_id is not None:
        return lwn_id, article_url(lwn_id)
    if source.lwn_id is not None:
        return source.lwn_id, source.url or article_url(source.lwn_id)
    if link is not None:
        lwn_id = article_id(link.href)
        if lwn_id is not None:
            return lwn_id, article_url(lwn_id)
    if href:
        url = absolute_url(href)
        # Only a web address is a URL worth keeping: "javascript:" or "data:" would be
        # served back as a link (pages, API, feeds), and no LWN item has one.
        if url.lower().startswith(("https://", "http://")):
            return None, url
    return None, source.url


def _take_byline(nodes: list[PageElement], byline_ancestors: set[int]) -> Byline | None:
    """Find the first byline among *nodes*, parse it and remove it."""
    for position, node in enumerate(nodes):
        if not isinstance(node, Tag):
            continue
        if byline_kind(node) is not None:
            del nodes[position]
            return parse_byline(node)
        if id(node) in byline_ancestors:
            inner = first_descendant(node, lambda tag: byline_kind(tag) is not None)
            if inner is not None:
                inner.extract()
                return parse_byline(inner)
    return None


def _take_comment_link(nodes: list[PageElement]) -> CommentLink | None:
    """Find the trailing comments line, parse it and remove it.

    The line is usually one ``<p>``, but may be bare nodes such as
    ``<a>Full Story</a> (comments: 2)``, so the last one to three non-blank
    nodes are tried together.
    """
    tail: list[int] = []  # positions of the last non-blank nodes, last first
    texts: list[str] = []
    for position in range(len(nodes) - 1, -1, -1):
        node = nodes[position]
        if is_blank(node):
            continue
        text = bounded_text(node, _COUNT_MAX_CHARS) if isinstance(node, Tag) else str(node)
        if text is None or len(text) > _COUNT_MAX_CHARS:
            return None
        tail.append(position)
        texts.insert(0, text)
        match = _COUNT_RE.match(collapse("".join(texts)))
        if match is not None:
            return _link_from(match, nodes, tail)
        if len(tail) >= _COUNT_LOOKBACK:
            return None
    return None


def _link_from(match: re.Match[str], nodes: list[PageElement], tail: list[int]) -> CommentLink:
    """The parsed comments line; its nodes (at *tail*) leave the body."""
    href = ""
    for position in reversed(tail):  # page order: the first link is the item's
        node = nodes[position]
        anchor = first_link(node) if isinstance(node, Tag) else None
        if anchor is not None:
            href = attr(anchor, "href")
            break
    for position in tail:  # descending, so earlier positions stay valid
        del nodes[position]
    posted = match.group("posted")
    raw = posted or match.group("story")
    count = None if raw is None else 0 if raw.lower() == "none" else int(raw)
    return CommentLink(count, href, "posted" if posted else "story")
