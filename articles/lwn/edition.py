"""Weekly editions: the front page and the one-big-page form.

An edition is a flat run of ``p.Cat1HL``/``p.Cat2HL`` section headings and
items; each item starts at a ``SummaryHL`` (``h2``, ``h3``, or ``p`` before
2012) and runs to the next ``SummaryHL`` or section heading.
"""

from __future__ import annotations

import datetime as dt
import re

from bs4 import Tag

from .chrome import trim
from .dates import parse_date
from .dom import ancestor_ids, article_id, attr, classes, is_blank, short_text, sibling_run
from .index import PageIndex, own_id
from .items import ItemSource, build_item
from .types import ParsedItem
from .warnings import Warnings

_EDITION_TITLE_RE = re.compile(r"^\s*LWN\.net\s+Weekly\s+Edition\s+for\b", re.IGNORECASE)
_EDITION_DATE_RE = re.compile(r"Weekly\s+Edition\s+for\s+(?P<date>[^\[]+)", re.IGNORECASE)
# Containers an item's run may not climb out of.


def is_edition_title(title: str) -> bool:
    return bool(_EDITION_TITLE_RE.match(title))


def edition_date(title: str) -> dt.date | None:
    match = _EDITION_DATE_RE.search(title)
    return parse_date(match.group("date")) if match else None


def edition_items(index: PageIndex, warnings: Warnings) -> list[ParsedItem]:
    """Split the edition into items, in page order."""
    markers = [tag for tag in index.markers if tag.parent is not None]
    stop_ids = {id(tag) for tag in markers}
    around_markers = ancestor_ids(markers)
    byline_ancestors = ancestor_ids(index.bylines)
    items: list[ParsedItem] = []
    cat1: str | None = None
    cat2: str | None = None
    for marker in markers:
        names = classes(marker)
        if "Cat1HL" in names:
            cat1, cat2 = short_text(marker) or None, None
            _unplaced_check(marker, stop_ids, around_markers, warnings)
            continue
        if "Cat2HL" in names:
            cat2 = short_text(marker) or None
            _unplaced_check(marker, stop_ids, around_markers, warnings)
            continue
        if "SummaryHL" not in names:
            continue  # Cat3HL only bounds the previous item
        source = ItemSource(
            title=short_text(marker),
            nodes=sibling_run(marker, stop_ids, around_markers),
            title_tag=marker,
            section=_section(cat1, cat2),
            position=len(items),
        )
        built = build_item(source, byline_ancestors=byline_ancestors, warnings=warnings)
        if built is not None:
            items.append(built[0])
    if not items:
        warnings.add("edition-no-items", "page", "edition has no items")
    return items


def edition_id(index: PageIndex) -> int | None:
    """The page's own id (see ``own_id``), else the edition's bigpage link,
    else the sidebar's current-page link."""
    found = own_id(index)
    if found is not None:
        return found
    for tag in index.bigpage_links + index.current_links:
        found = article_id(attr(tag, "href"))
        if found is not None:
            return found
    return None


def parent_edition_id(index: PageIndex) -> int | None:
    """The edition an edition page belongs to: its one-big-page link names it."""
    for tag in index.bigpage_links:
        found = article_id(attr(tag, "href"))
        if found is not None:
            return found
    return None


def _section(cat1: str | None, cat2: str | None) -> str | None:
    if cat1 and cat2:
        return f"{cat1}: {cat2}"
    return cat1 or cat2


def _unplaced_check(
    heading: Tag, stop_ids: set[int], around_markers: set[int], warnings: Warnings
) -> None:
    """Warn about text between a section heading and the section's first item.

    Items run from their own heading to the next marker, so such text belongs to no
    item and is not stored: say so rather than lose it silently.
    """
    nodes = trim(sibling_run(heading, stop_ids, around_markers))
    if any(not is_blank(node) for node in nodes):
        name = short_text(heading)
        warnings.add(
            "block-unplaced",
            f"section {name!r}",
            f"text under the section heading {name!r} before its first item was not stored",
        )
