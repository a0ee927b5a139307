"""Remove LWN page furniture so item bodies hold only what the authors wrote.

Removed: ads and nag boxes (``blockquote.ad``, "Please consider subscribing
to LWN"), scripts and forms (MakeALink, reply buttons, login), the Osano
consent widget, the "Index entries for this article" table, "Page editor",
the "Inside this week's LWN.net Weekly Edition" list, "Next page", and the
``<hr>`` + "(Log in to post comments)" footer.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag
from bs4.element import PageElement

from .dom import bounded_text, is_blank
from .index import PageIndex
from .text import BLOCK_TAGS

# Labels in <b> that introduce a chrome line: "<b>Page editor</b>: Jonathan Corbet".
_CHROME_LABELS = ("page editor", "next page")
_INSIDE_RE = re.compile(r"^\s*Inside this week", re.IGNORECASE)
_POST_COMMENTS_RE = re.compile(r"post comments?\b|\bpost a comment\b", re.IGNORECASE)
# First words of the boxes LWN shows to non-subscribers.
_NAG_PREFIXES = (
    "please consider subscribing to lwn",
    "we're bad at marketing",
    "we\u2019re bad at marketing",
    "did you like this article?",
    "this article is available to subscribers",
)
_INDEX_ENTRIES = "index entries for this article"
_BOX_TAGS = frozenset({"div", "blockquote", "aside", "table", "section", "center"})
# How far a chrome line may run after its label before we stop looking.
_MAX_RUN = 8


def remove_chrome(index: PageIndex, containers: list[Tag]) -> int:
    """Remove chrome from the page; *containers* are the body elements whose
    direct children are checked for nag boxes. Returns the number removed."""
    removed = 0
    for tag in index.chrome:
        if tag.parent is not None:
            tag.extract()
            removed += 1
    for label in index.labels:
        if label.parent is not None and _remove_label_line(label):
            removed += 1
    for heading in index.h2s:
        if heading.parent is not None and _INSIDE_RE.match(heading.get_text()):
            _remove_with_next_list(heading)
            removed += 1
    for rule in index.hrs:
        if rule.parent is not None and _remove_comment_footer(rule):
            removed += 1
    for link in index.login_links:
        if link.parent is not None and _remove_login_prompt(link):
            removed += 1
    for container in containers:
        removed += _remove_boxes(container)
    return removed


def _remove_label_line(label: Tag) -> bool:
    text = label.string
    if text is None:
        return False
    key = text.strip().rstrip(":").strip().lower()
    if key not in _CHROME_LABELS or not _colon_follows(label, text):
        return False
    parent = label.parent
    if (
        parent is not None
        and parent.name in ("p", "font", "span", "center")
        and len(parent.get_text()) < 300
        and parent.get_text().strip().lower().startswith(key)
    ):
        parent.extract()
        return True
    # A bare run "<b>Next page</b>: <a …>Security&gt;&gt;</a><br>": remove up to
    # the line break or the next block.
    run: list[PageElement] = [label]
    node = label.next_sibling
    while node is not None and len(run) < _MAX_RUN:
        if isinstance(node, Tag) and node.name in BLOCK_TAGS:
            break
        run.append(node)
        if isinstance(node, Tag) and node.name == "br":
            break
        node = node.next_sibling
    for element in run:
        element.extract()
    return True


def _colon_follows(label: Tag, text: str) -> bool:
    """Chrome labels read "<b>Page editor</b>: …"; a bold "next page" in prose
    has no colon after it."""
    if text.rstrip().endswith(":"):
        return True
    following = label.next_sibling
    return isinstance(following, NavigableString) and following.lstrip().startswith(":")


def _remove_with_next_list(heading: Tag) -> None:
    node = heading.next_sibling
    while node is not None and isinstance(node, NavigableString) and not node.strip():
        node = node.next_sibling
    if isinstance(node, Tag) and node.name in ("ul", "ol"):
        node.extract()
    heading.extract()


def _remove_comment_footer(rule: Tag) -> bool:
    """``<hr>`` followed closely by "(Log in to post comments)"."""
    run: list[PageElement] = [rule]
    node = rule.next_sibling
    while node is not None and len(run) < 5:
        run.append(node)
        text = bounded_text(node, 300) if isinstance(node, Tag) else str(node)
        if text is None or len(text) > 300:
            return False
        if _POST_COMMENTS_RE.search(text):
            for element in run:
                element.extract()
            return True
        node = node.next_sibling
    return False


def _remove_boxes(container: Tag) -> int:
    """Nag boxes and index-entry blocks among the container's children."""
    removed = 0
    for child in list(container.children):
        if isinstance(child, Tag) and child.name in _BOX_TAGS:
            first = next(child.stripped_strings, "").lower()
            if first.startswith((*_NAG_PREFIXES, _INDEX_ENTRIES)):
                child.extract()
                removed += 1
    return removed


def _remove_login_prompt(link: Tag) -> bool:
    """A "(Log in to post comments)" paragraph that no ``<hr>`` announced."""
    parent = link.parent
    if parent is None or parent.name != "p":
        return False
    text = bounded_text(parent, 120)
    if text is None or not _POST_COMMENTS_RE.search(text):
        return False
    parent.extract()
    return True


def trim(nodes: list[PageElement]) -> list[PageElement]:
    """Drop blank nodes, ``<hr>`` and ``<br>`` from both ends of a body."""
    start, end = 0, len(nodes)
    while start < end and _trimmable(nodes[start]):
        start += 1
    while end > start and _trimmable(nodes[end - 1]):
        end -= 1
    return nodes[start:end]


def _trimmable(node: PageElement) -> bool:
    if isinstance(node, Tag) and node.name in ("hr", "br"):
        return True
    return is_blank(node)
