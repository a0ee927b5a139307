"""Small helpers over BeautifulSoup nodes shared by the parser modules.

BeautifulSoup's ``Tag`` hashes by serialising itself and compares by
structure, so tags must never go into sets, dict keys or ``in`` tests on
lists: every helper here identifies tags by ``id()`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from bs4 import NavigableString, Tag
from bs4.element import PageElement

LWN_BASE = "https://lwn.net"

# Article links are relative ("/Articles/N/") or absolute on lwn.net; other
# sites' "/Articles/" paths must not be mistaken for LWN ids.
_ARTICLE_HREF_RE = re.compile(
    r"^(?:https?://(?:www\.)?lwn\.net)?/(?:Articles|SubscriberLink)/(\d{1,9})(?:[/?#]|$)",
    re.IGNORECASE,
)
_WS_RE = re.compile(r"\s+")


def classes(tag: Tag) -> list[str]:
    """The tag's class list (the lxml builder gives a list; be lenient)."""
    value = tag.attrs.get("class")
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return list(value)


def has_class(tag: Tag, name: str) -> bool:
    value = tag.attrs.get("class")
    if value is None:
        return False
    if isinstance(value, str):
        return name in value.split()
    return name in value


def attr(tag: Tag, name: str) -> str:
    """A single-valued attribute as a string ("" when missing)."""
    value = tag.attrs.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return " ".join(value)


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including NBSP) to single spaces and strip."""
    return _WS_RE.sub(" ", text).strip()


def short_text(tag: Tag) -> str:
    """Collapsed text of a small element (titles, bylines, headings)."""
    return collapse(tag.get_text())


def article_id(href: str) -> int | None:
    """The LWN id in an ``/Articles/N/`` (or SubscriberLink) href, else None."""
    match = _ARTICLE_HREF_RE.match(href.strip())
    return int(match.group(1)) if match else None


def url_article_id(url: str) -> int | None:
    """The LWN id in a page address ("https://lwn.net/Articles/N/bigpage",
    "lwn.net/Articles/N/", "/Articles/N/"); None for other sites."""
    text = url.strip()
    if "://" not in text and not text.startswith("/"):
        text = "https://" + text  # "lwn.net/Articles/N/" without a scheme
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if host and host != "lwn.net" and not host.endswith(".lwn.net"):
        return None
    return article_id(parts.path)


def absolute_url(href: str) -> str:
    href = href.strip()
    if href.startswith("//"):
        return "https:" + href
    if href.startswith("/"):
        return LWN_BASE + href
    return href


def article_url(lwn_id: int) -> str:
    return f"{LWN_BASE}/Articles/{lwn_id}/"


def first_descendant(tag: Tag, test: Callable[[Tag], bool]) -> Tag | None:
    """The first element under *tag* (or *tag* itself) that passes *test*.

    A plain walk: ``Tag.find`` builds a filter object per call, which costs
    more than the search itself on the small elements searched here.
    """
    if test(tag):
        return tag
    for node in tag.descendants:
        if isinstance(node, Tag) and test(node):
            return node
    return None


def first_link(tag: Tag) -> Tag | None:
    """The first ``<a href>`` at or under *tag*."""
    return first_descendant(tag, _is_link)


def links(tag: Tag) -> list[Tag]:
    """Every ``<a href>`` at or under *tag*, in document order (a plain walk, as above)."""
    return [node for node in (tag, *tag.descendants) if isinstance(node, Tag) and _is_link(node)]


def _is_link(tag: Tag) -> bool:
    return tag.name == "a" and bool(tag.attrs.get("href"))


# Elements that are content even without any text.
_MEDIA_TAGS = frozenset({"img", "table", "pre", "iframe", "video", "object", "svg", "math"})


def is_blank(node: PageElement) -> bool:
    """Whitespace-only text, or an element with no text and no media."""
    if isinstance(node, Tag):
        if node.name in _MEDIA_TAGS:
            return False
        # One lazy walk that stops at the first text or media element.
        for inner in node.descendants:
            if isinstance(inner, Tag):
                if inner.name in _MEDIA_TAGS:
                    return False
            elif type(inner) is NavigableString and not inner.isspace():
                return False
        return True
    if type(node) is NavigableString:
        return node.isspace() or not node
    # Comments, doctypes and processing instructions carry no content.
    return True


def ancestor_ids(tags: Iterable[Tag]) -> set[int]:
    """ids of every ancestor of every tag in *tags*.

    Each walk up stops at an ancestor already seen (whose own ancestors are
    then known too), so the cost is linear in the tree even when thousands
    of markers sit thousands of levels deep.
    """
    seen: set[int] = set()
    for tag in tags:
        parent = tag.parent
        while parent is not None and id(parent) not in seen:
            seen.add(id(parent))
            parent = parent.parent
    return seen


class Containment:
    """Answers "is this tag inside *container*?" for many tags, remembering
    every node it walks through so repeated questions stay linear overall."""

    __slots__ = ("_known",)

    def __init__(self, container: Tag) -> None:
        self._known: dict[int, bool] = {id(container): True}

    def __contains__(self, tag: Tag) -> bool:
        path: list[int] = []
        node = tag.parent
        answer = False
        while node is not None:
            known = self._known.get(id(node))
            if known is not None:
                answer = known
                break
            path.append(id(node))
            node = node.parent
        for node_id in path:
            self._known[node_id] = answer
        return answer


def top_level_child(tag: Tag, container: Tag) -> Tag | None:
    """The child of *container* that is, or contains, *tag*."""
    node: Tag | None = tag
    while node is not None and node.parent is not container:
        node = node.parent
    return node


def bounded_text(tag: Tag, limit: int) -> str | None:
    """*tag*'s text, or None as soon as it grows past *limit* characters.

    Used to test whether an element is a short link line without reading a
    whole large subtree.
    """
    parts: list[str] = []
    size = 0
    for string in tag.strings:
        size += len(string)
        if size > limit:
            return None
        parts.append(string)
    return "".join(parts)


# Where a run of siblings stops climbing out of wrappers: the page's own containers.
_ROOT_TAGS = frozenset({"body", "html", "main", "[document]"})


def sibling_run(start: Tag, stop_ids: set[int], around: set[int]) -> list[PageElement]:
    """The siblings after *start* up to the next stop element (or one holding one).

    *stop_ids* are the ``id()`` of the elements that end a run (the next heading),
    *around* those of their ancestors. When *start* is wrapped alone
    (``<div><h2 …></h2></div>``) the run continues after the wrapper, up to the
    page's own containers.
    """
    nodes: list[PageElement] = []
    anchor = start
    while True:
        node = anchor.next_sibling
        blank = True
        while node is not None:
            if isinstance(node, Tag) and (id(node) in stop_ids or id(node) in around):
                return nodes
            nodes.append(node)
            blank = blank and is_blank(node)
            node = node.next_sibling
        parent = anchor.parent
        if (
            not blank
            or parent is None
            or parent.name in _ROOT_TAGS
            or "ArticleText" in classes(parent)
        ):
            return nodes
        anchor = parent
