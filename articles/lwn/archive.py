"""Read LWN's edition archive page (``/Archives/``): which editions exist.

Links on that page read "LWN.net Weekly Edition for June 11, 2020" and point
at ``/Articles/<id>/``; that is all ``lwn_import --since`` needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bs4 import BeautifulSoup

from .dates import parse_date
from .dom import article_id, attr
from .types import LWNParseError


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    lwn_id: int
    date: dt.date
    title: str


def parse_archive(data: bytes) -> list[ArchiveEntry]:
    """Editions linked from an archive page, newest first, without duplicates."""
    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as exc:  # lxml rejects some byte soups outright
        raise LWNParseError(f"unreadable archive page: {exc}") from exc
    found: dict[int, ArchiveEntry] = {}
    for link in soup.find_all("a", href=True):
        text = " ".join(link.get_text(" ").split())
        if "Weekly Edition for" not in text:
            continue
        lwn_id = article_id(attr(link, "href"))
        day = parse_date(text.split("Weekly Edition for", 1)[1])
        if lwn_id is not None and day is not None:
            found.setdefault(lwn_id, ArchiveEntry(lwn_id=lwn_id, date=day, title=text))
    return sorted(found.values(), key=lambda e: (e.date, e.lwn_id), reverse=True)
