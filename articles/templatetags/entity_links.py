"""``{{ article.body_html|entity_links }}``: link kernel identifiers to their entity pages,
once per section.

The input must already be sanitised HTML (``body_html`` of articles,
comments and merge-window items is sanitised when stored). The filter walks
its text nodes and wraps the first mention of each name the extractor
recognises, in each section, in ``<a href="/entities/<kind>/<name>/" class="entity">``:
a paragraph naming ``faccessat2`` eight times reads as prose, not as eight links.

A section is the run of text from one heading (``<h2>`` to ``<h6>``) to the next;
merge-window groups are ``<h4>`` headings, so each group is a section, and text
before the first heading is one too. ``entity_links_sections`` (and the ``with_entity_links``
filter over merge-window items) treats several fragments, the items of one group on a
release page, as one section.

Text inside links, ``<pre>`` and ``<code>`` is left alone; ``<tt>``, LWN's way of
setting an identifier in prose, is linked. Text stays escaped: it is parsed into
nodes and serialised again, so ``&lt;`` never turns into ``<``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from articles.links import spans, url_name

register = template.Library()

# Elements whose text is never linked: existing links, code blocks, and anything not prose.
# Not <tt>: LWN sets every identifier in running text in <tt>, and those are the point.
SKIP = frozenset({"a", "pre", "code", "script", "style", "textarea"})
# A heading starts a new section: its own text is the new section's first.
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_TAG = re.compile(r"<[^>]*>")

Seen = set[tuple[str, str]]


@lru_cache(maxsize=4096)
def entity_href(kind: str, name: str) -> str:
    return reverse("articles:entity-detail", kwargs={"kind": kind, "name": url_name(kind, name)})


def _skipped(node: NavigableString) -> bool:
    return any(parent.name in SKIP for parent in node.parents)


def _link_node(soup: BeautifulSoup, node: NavigableString, seen: Seen) -> bool:
    text = str(node)
    found = list(spans(text))
    pieces: list[NavigableString | Tag] = []
    position = 0
    for span in found:
        key = (span.kind, span.name)
        if span.start < position or key in seen:
            continue  # never nest or overlap links; link a name once per section
        seen.add(key)
        if span.start > position:
            pieces.append(NavigableString(text[position : span.start]))
        link = soup.new_tag("a", href=entity_href(span.kind, span.name))
        link["class"] = "entity"
        link.string = text[span.start : span.end]
        pieces.append(link)
        position = span.end
    if not pieces:
        return False
    if position < len(text):
        pieces.append(NavigableString(text[position:]))
    node.replace_with(*pieces)
    return True


def _names_anything(source: str) -> bool:
    # Cheap test on the text without tags: most comments name no entity at all.
    return any(True for _ in spans(_TAG.sub(" ", source)))


def _link_soup(soup: BeautifulSoup, seen: Seen) -> bool:
    """Link first mentions in document order; ``seen`` carries the current section."""
    changed = False
    for node in list(soup.descendants):
        if isinstance(node, Tag):
            if node.name in HEADINGS:
                seen.clear()
        # Exact type: comments, CDATA and doctypes are NavigableString subclasses.
        elif type(node) is NavigableString and not _skipped(node):
            changed = _link_node(soup, node, seen) or changed
    return changed


@register.filter(is_safe=True)
def entity_links(html: str) -> SafeString:
    """Link the first mention of each recognised identifier per section of ``html``."""
    return mark_safe(_linked(str(html or "")))  # noqa: S308 - see _linked


# A pure function of its input (entity URLs are fixed), so repeated renders of the same
# article or comment reuse the result instead of re-parsing the HTML each time.
@lru_cache(maxsize=4096)
def _linked(source: str) -> str:
    if not _names_anything(source):
        return source  # the contract: input is sanitised HTML
    soup = BeautifulSoup(source, "html.parser")
    changed = _link_soup(soup, set())
    return str(soup) if changed else source  # serialised by bs4, so text stays escaped


def entity_links_sections(fragments: Sequence[str]) -> list[SafeString]:
    """Link sanitised ``fragments`` as one section: a name is linked in the first
    fragment that mentions it only (headings inside a fragment still start a section)."""
    seen: Seen = set()
    linked: list[SafeString] = []
    for source in fragments:
        source = str(source or "")
        if not _names_anything(source):
            linked.append(mark_safe(source))  # noqa: S308 - sanitised input, as above
            continue
        soup = BeautifulSoup(source, "html.parser")
        changed = _link_soup(soup, seen)
        linked.append(mark_safe(str(soup) if changed else source))  # noqa: S308
    return linked


# Like ``_linked``: a release page links the same groups on every view, each item parsed
# and serialised by BeautifulSoup (a hundred items a release at full size). A group's
# html is a few kilobytes, so the kept results stay within a few megabytes.
@lru_cache(maxsize=512)
def _sections_linked(fragments: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(html) for html in entity_links_sections(fragments))


@register.filter
def with_entity_links(items: Sequence[Any]) -> list[tuple[Any, SafeString]]:
    """``{% for item, html in group_items|with_entity_links %}``: each merge-window item
    with its ``html`` linked, the group's items taken as one section."""
    rows = list(items)
    linked = _sections_linked(tuple(str(row.html or "") for row in rows))
    # Sanitised input, linked as in ``entity_links_sections``.
    return list(zip(rows, (mark_safe(html) for html in linked), strict=True))  # noqa: S308
