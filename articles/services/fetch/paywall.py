"""Recognise LWN's paywall page and read the date its item becomes free.

Non-subscribers asking for a subscriber-only article get HTTP 403 (sometimes 200)
with a page titled "Subscription required [LWN.net]" that says "(Alternatively, this
item will become freely available on April 4, 2019)". Pure functions over bytes.
"""

from __future__ import annotations

import re
from datetime import date

from articles.lwn.subscription import free_on_in

_TITLE_RE = re.compile(rb"<title>\s*Subscription required\b", re.IGNORECASE)


def is_subscription_page(content: bytes) -> bool:
    """True for LWN's "Subscription required [LWN.net]" paywall page."""
    return _TITLE_RE.search(content[:16384]) is not None  # the title sits in <head>


def parse_free_on(content: bytes) -> date | None:
    """The date in "this item will become freely available on April 4, 2019", or None
    when the sentence is absent or its date is malformed."""
    return free_on_in(content.decode("utf-8", errors="replace"))
