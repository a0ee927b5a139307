"""The three LWN byline forms and what they say about an item.

- ``div.FeatureByline``: ``By <b>Jonathan Corbet</b><br>June 10, 2020`` (staff);
- ``div.GAByline``: ``<p>June 4, 2020</p><p>This article was contributed by
  John Stultz</p>`` (guest author);
- ``div.Byline``: ``[Posted June 10, 2020 by corbet]`` (brief; a login name).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bs4 import Tag

from .dates import find_date, parse_date
from .dom import classes, collapse, short_text
from .types import ItemKind

BYLINE_CLASSES: dict[str, ItemKind] = {
    "FeatureByline": "feature",
    "GAByline": "guest",
    "Byline": "brief",
}

# Brief items name their poster by login. These are LWN staff logins as they
# appear in "[Posted … by LOGIN]" lines; unknown logins are kept as written.
STAFF_LOGINS: dict[str, str] = {
    "corbet": "Jonathan Corbet",
    "jake": "Jake Edge",
    "daroc": "Daroc Alden",
    "jzb": "Joe Brockmeier",
    "ris": "Rebecca Sobol",
    "n8willis": "Nathan Willis",
}

_POSTED_RE = re.compile(r"Posted\s+(?P<date>.*?)\s+by\s+(?P<login>[^\]\s]+)", re.IGNORECASE)
_CONTRIBUTED_RE = re.compile(r"contributed\s+by\s+(?P<names>.+)", re.IGNORECASE | re.DOTALL)
_BOLD = frozenset({"b", "strong"})
_MAX_BYLINE = 500
_BY_RE = re.compile(r"^\s*By\s+", re.IGNORECASE)
# "A, B, and C" / "A and B": the separators between co-authors.
_AUTHOR_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


@dataclass(frozen=True, slots=True)
class Byline:
    kind: ItemKind
    authors: list[str]
    date: dt.date | None


def byline_kind(tag: Tag) -> ItemKind | None:
    """The item kind a byline element announces, or None if it is not one."""
    for name in classes(tag):
        kind = BYLINE_CLASSES.get(name)
        if kind is not None:
            return kind
    return None


def login_name(login: str) -> str:
    """Map an LWN staff login to the person's full name."""
    return STAFF_LOGINS.get(login.strip().lower(), login.strip())


def split_authors(names: str) -> list[str]:
    names = collapse(names).strip(" .;:")
    return [name for name in (part.strip(" .") for part in _AUTHOR_SPLIT_RE.split(names)) if name]


def parse_byline(tag: Tag) -> Byline | None:
    """Read a byline element; None when *tag* is not a byline."""
    kind = byline_kind(tag)
    if kind is None:
        return None
    # A real byline is a line or two; the cap keeps a damaged page (an unclosed
    # byline swallowing the rest) from feeding megabytes to the regexes.
    text = collapse(tag.get_text(" "))[:_MAX_BYLINE]
    if kind == "feature":
        return Byline(kind, _feature_authors(tag, text), parse_date(text))
    if kind == "guest":
        match = _CONTRIBUTED_RE.search(text)
        authors = split_authors(match.group("names")) if match else []
        return Byline(kind, authors, parse_date(text))
    match = _POSTED_RE.search(text)
    if match is None:
        return Byline(kind, [], parse_date(text))
    return Byline(kind, [login_name(match.group("login"))], parse_date(match.group("date")))


def _feature_authors(tag: Tag, text: str) -> list[str]:
    bold = (node for node in tag.descendants if isinstance(node, Tag) and node.name in _BOLD)
    names = [name for name in map(short_text, bold) if name]
    if names:
        return [author for name in names for author in split_authors(name)]
    # No <b>: the name is the text between "By" and the date.
    head = _BY_RE.sub("", text)
    found = find_date(head)
    if found is not None:
        head = head[: found[1]]
    return split_authors(head)
