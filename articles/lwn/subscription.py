"""The "Subscription required" page LWN serves (with HTTP 403) for paywalled
articles::

    <div class="ArticleText"> <!-- offer -->The page you have tried to view
    (<a href="/Articles/783673/">{title}</a>) is currently available to LWN
    subscribers only. … (Alternatively, this item will become freely available
    on April 4, 2019)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bs4 import Tag

from .dates import parse_date
from .dom import article_id, attr, short_text

_TITLE_RE = re.compile(r"^\s*Subscription\s+required\b", re.IGNORECASE)
_FREE_ON_RE = re.compile(r"available\s+on\s+(?P<date>\w+\.?\s+\d{1,2},?\s+\d{4})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Offer:
    lwn_id: int | None
    title: str
    free_on: dt.date | None


def is_subscription_title(title: str) -> bool:
    return bool(_TITLE_RE.match(title))


def free_on_in(text: str) -> dt.date | None:
    """The date in "this item will become freely available on April 4, 2019", if any."""
    match = _FREE_ON_RE.search(text)
    return parse_date(match.group("date")) if match else None


def parse_offer(article_text: Tag) -> Offer:
    """The paywalled article's id and title, and when it becomes free."""
    lwn_id: int | None = None
    title = ""
    for link in article_text.find_all("a", href=True):
        found = article_id(attr(link, "href"))
        text = short_text(link)
        if found is not None and text:
            lwn_id, title = found, text
            break
    return Offer(lwn_id, title, free_on_in(article_text.get_text(" ")))
