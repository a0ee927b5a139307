"""``{{ article.body_html|entity_links }}``: link kernel identifiers to their entity pages.

The input must already be sanitised HTML (``body_html`` of articles,
comments and merge-window items is sanitised when stored). The filter walks
its text nodes and wraps every name the extractor recognises in
``<a href="/entities/<kind>/<name>/" class="entity">``. Text inside links,
``<pre>`` and ``<code>`` is left alone; ``<tt>``, LWN's way of setting an
identifier in prose, is linked. Text stays escaped: it is parsed into nodes
and serialised again, so ``&lt;`` never turns into ``<``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bs4 import BeautifulSoup, NavigableString, Tag
from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from articles.links import spans, url_name

register = template.Library()

# Elements whose text is never linked: existing links, code blocks, and anything not prose.
# Not <tt>: LWN sets every identifier in running text in <tt>, and those are the point.
SKIP = frozenset({"a", "pre", "code", "script", "style", "textarea"})
_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=4096)
def entity_href(kind: str, name: str) -> str:
    return reverse("articles:entity-detail", kwargs={"kind": kind, "name": url_name(kind, name)})


def _skipped(node: NavigableString) -> bool:
    return any(parent.name in SKIP for parent in node.parents)


def _link_node(soup: BeautifulSoup, node: NavigableString) -> bool:
    text = str(node)
    found = list(spans(text))
    if not found:
        return False
    pieces: list[NavigableString | Tag] = []
    position = 0
    for span in found:
        if span.start < position:
            continue  # never nest or overlap links
        if span.start > position:
            pieces.append(NavigableString(text[position : span.start]))
        link = soup.new_tag("a", href=entity_href(span.kind, span.name))
        link["class"] = "entity"
        link.string = text[span.start : span.end]
        pieces.append(link)
        position = span.end
    if position < len(text):
        pieces.append(NavigableString(text[position:]))
    node.replace_with(*pieces)
    return True


@register.filter(is_safe=True)
def entity_links(html: str) -> SafeString:
    """Link recognised identifiers in sanitised ``html`` to their entity pages."""
    return mark_safe(_linked(str(html or "")))  # noqa: S308 - see _linked


# A pure function of its input (entity URLs are fixed), so repeated renders of the same
# article or comment reuse the result instead of re-parsing the HTML each time.
@lru_cache(maxsize=4096)
def _linked(source: str) -> str:
    # Cheap test on the text without tags first: most comments name no entity at all.
    if not any(True for _ in spans(_TAG.sub(" ", source))):
        return source  # the contract: input is sanitised HTML
    soup = BeautifulSoup(source, "html.parser")
    changed = False
    for node in list(soup.find_all(string=True)):
        # Exact type: comments, CDATA and doctypes are NavigableString subclasses.
        if type(node) is NavigableString and not _skipped(node):
            changed = _link_node(soup, node) or changed
    return str(soup) if changed else source  # serialised by bs4, so text stays escaped
