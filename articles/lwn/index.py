"""One walk over the parsed tree that finds every element the parser needs.

Walking the tree once and dispatching on tag name and class is far cheaper
than many ``find_all``/``select`` calls over a big edition page, and it
records elements in document order, which the edition splitter relies on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag

from .bylines import BYLINE_CLASSES
from .dom import article_id, attr, has_class
from .types import Layout, LWNParseError
from .warnings import Warnings

MARKER_CLASSES = frozenset({"SummaryHL", "Cat1HL", "Cat2HL", "Cat3HL"})
# Elements that are page furniture wherever they appear.
CHROME_CLASSES = frozenset({"ad", "MakeALink", "CommentReplyButton", "IndexEntries"})
CHROME_TAGS = frozenset({"script", "style", "noscript", "form"})
LABEL_TAGS = frozenset({"b", "strong"})
# Links by which a page names itself. Any other "/Articles/M/" link (a comment's
# "[Link]", a related article) points elsewhere and says nothing about the page.
_LWN_HOST = r"^(?:https?://(?:www\.)?lwn\.net)?"
_PRINTABLE_RE = re.compile(
    _LWN_HOST + r"/Articles/(\d{1,9})/?\?(?:[^#]*&)?format=printable(?:[&#]|$)", re.IGNORECASE
)
_HEADLINES_RE = re.compile(_LWN_HOST + r"/headlines/(\d{1,9})/?(?:[?#]|$)", re.IGNORECASE)


@dataclass(slots=True)
class PageIndex:
    """Elements of one page, each list in document order."""

    title: Tag | None = None
    headline: Tag | None = None  # the first div.PageHeadline
    article_text: Tag | None = None  # the first div.ArticleText
    markers: list[Tag] = field(default_factory=list)  # SummaryHL and CatNHL
    bylines: list[Tag] = field(default_factory=list)
    comment_boxes: list[Tag] = field(default_factory=list)
    # The first element that opens the comment area (an anchor or a box).
    first_comment_mark: Tag | None = None
    chrome: list[Tag] = field(default_factory=list)
    labels: list[Tag] = field(default_factory=list)  # <b>/<strong> with a string
    h2s: list[Tag] = field(default_factory=list)  # h2 that are not SummaryHL
    hrs: list[Tag] = field(default_factory=list)
    mains: list[Tag] = field(default_factory=list)
    head_links: list[Tag] = field(default_factory=list)  # <link> and <meta>
    current_links: list[Tag] = field(default_factory=list)  # a.Current
    bigpage_links: list[Tag] = field(default_factory=list)
    login_links: list[Tag] = field(default_factory=list)  # "(Log in to post comments)"
    # <input name="articleid"> (MakeALink) and the login form's hidden target.
    article_id_inputs: list[Tag] = field(default_factory=list)
    # (id, where it came from) for each link by which the page names itself.
    self_links: list[tuple[int, str]] = field(default_factory=list)
    has_pure_grid: bool = False
    has_table_page: bool = False
    has_details_comments: bool = False


def build_index(soup: BeautifulSoup) -> PageIndex:
    """Walk *soup* once and collect what the parser modules use."""
    index = PageIndex()
    markers = index.markers
    bylines = index.bylines
    chrome = index.chrome
    for node in soup.descendants:
        if not isinstance(node, Tag):
            continue
        name = node.name
        attrs = node.attrs
        if name in CHROME_TAGS:
            chrome.append(node)
        elif name in LABEL_TAGS:
            index.labels.append(node)
        elif name == "a":
            _index_anchor(index, node, attrs)
        elif name == "hr":
            index.hrs.append(node)
        elif name == "h2" and "class" not in attrs:
            index.h2s.append(node)
        elif name == "title":
            if index.title is None:
                index.title = node
        elif name in ("link", "meta"):
            index.head_links.append(node)
        elif name == "main":
            index.mains.append(node)
        elif name == "input" and attrs.get("name") in ("articleid", "target"):
            index.article_id_inputs.append(node)
        value = attrs.get("class")
        if not value:
            continue
        for cls in value if not isinstance(value, str) else value.split():
            if cls in MARKER_CLASSES:
                markers.append(node)
            elif cls in BYLINE_CLASSES:
                bylines.append(node)
            elif cls == "CommentBox":
                index.comment_boxes.append(node)
                if name == "details":
                    index.has_details_comments = True
                if index.first_comment_mark is None:
                    index.first_comment_mark = node
            elif cls == "Comment" and index.first_comment_mark is None:
                index.first_comment_mark = node
            elif cls == "ArticleText":
                if index.article_text is None:
                    index.article_text = node
            elif cls == "PageHeadline":
                if index.headline is None:
                    index.headline = node
            elif cls in CHROME_CLASSES or cls.startswith("osano-cm"):
                chrome.append(node)
            elif cls.startswith("pure-"):
                index.has_pure_grid = True
            elif (cls == "Page" and name == "table") or cls == "MidColumn":
                index.has_table_page = True
    return index


def _index_anchor(index: PageIndex, node: Tag, attrs: dict[str, Any]) -> None:
    anchor = attrs.get("name")
    if (
        isinstance(anchor, str)
        and index.first_comment_mark is None
        and (anchor == "Comments" or anchor.startswith("CommAnchor"))
    ):
        index.first_comment_mark = node
    href = attrs.get("href")
    if isinstance(href, str):
        if href.rstrip("/").endswith("/bigpage"):
            index.bigpage_links.append(node)
        elif "/login" in href.lower():
            index.login_links.append(node)
            if (found := _login_target_id(href)) is not None:
                index.self_links.append((found, "login link target"))
        elif "printable" in href and (match := _PRINTABLE_RE.match(href.strip())):
            index.self_links.append((int(match.group(1)), "printable link"))
        elif "/headlines/" in href and (match := _HEADLINES_RE.match(href.strip())):
            index.self_links.append((int(match.group(1)), "comments feed link"))
    if has_class(node, "Current"):
        index.current_links.append(node)


def _login_target_id(href: str) -> int | None:
    """The id in a login link's ``target=/Articles/N/``: where logging in
    returns to, which is this very page."""
    if "target=" not in href:
        return None
    for target in parse_qs(urlsplit(href.strip()).query).get("target", []):
        found = article_id(target)
        if found is not None:
            return found
    return None


def own_id(index: PageIndex) -> int | None:
    """The page's own LWN id as the page states it.

    Every place a page names itself counts: ``<link rel=canonical>``,
    ``og:url``, the MakeALink form's ``articleid``, the login form's hidden
    ``target``, and the self-links (printable form, comments feed, the login
    link's target). None when the page names no id; ``LWNParseError`` when it
    names two different ones, since either could be wrong.
    """
    candidates = _own_id_candidates(index)
    if not candidates:
        return None
    first, first_where = candidates[0]
    for found, where in candidates[1:]:
        if found != first:
            raise LWNParseError(
                f"the page names two ids: {first} ({first_where}) and {found} ({where})"
            )
    return first


def _own_id_candidates(index: PageIndex) -> list[tuple[int, str]]:
    found: int | None
    candidates: list[tuple[int, str]] = []
    for tag in index.head_links:
        if "canonical" in attr(tag, "rel").lower().split():
            found, where = article_id(attr(tag, "href")), "canonical link"
        elif attr(tag, "property").lower() == "og:url":
            found, where = article_id(attr(tag, "content")), "og:url"
        elif match := _HEADLINES_RE.match(attr(tag, "href").strip()):
            # <link rel="alternate" type="application/rss+xml" href="/headlines/N/">
            found, where = int(match.group(1)), "comments feed link"
        else:
            continue
        if found is not None:
            candidates.append((found, where))
    for tag in index.article_id_inputs:
        value = attr(tag, "value").strip()
        found = int(value) if value.isdigit() else article_id(value)
        if found is not None:
            where = "articleid input" if attr(tag, "name") == "articleid" else "login form target"
            candidates.append((found, where))
    candidates.extend(index.self_links)
    return candidates


def layout_of(index: PageIndex, *, modern: bool, warnings: Warnings) -> Layout:
    """ "modern" when the caller saw 2024+ markup, "grid" with the Pure CSS classes
    (2017+), else "table" (to about 2016; a warning when not even its markers are there)."""
    if modern:
        return "modern"
    if index.has_pure_grid:
        return "grid"
    if not index.has_table_page:
        warnings.add("layout-unknown", "page", "page layout not recognised; assuming table")
    return "table"
