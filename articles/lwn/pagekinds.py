"""LWN pages that are neither articles, editions nor the home page.

Search results, section listings (``/Kernel/``), indexes (``/Kernel/Index/``,
``/Archives/GuestIndex/``), the archives, a user's comment list and account
pages are lists of links to articles: parsing one as an article would store
a page of headlines as if someone had written it. ``refusal`` names such a
page from its address when the caller knows it, else from its title and
structure (saved files have no address).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from .dom import article_id, attr
from .index import PageIndex

_NOT_ARTICLE = "not an article: this is "
# Path prefixes (lower case) and what they are; the first match wins, so the
# longer prefixes come first.
_PATHS: tuple[tuple[str, str], ...] = (
    ("/search/", "LWN's search results page"),
    ("/mycomments/", "a list of comments posted by one LWN user"),
    ("/kernel/index", "LWN's kernel index"),
    ("/security/index", "LWN's security index"),
    ("/archives/guestindex", "LWN's guest-author index"),
    ("/archives/conferenceindex", "LWN's conference index"),
    ("/archives/", "LWN's archives index"),
    ("/kernel/", "LWN's kernel section page"),
    ("/security/", "LWN's security section page"),
    ("/distributions/", "LWN's distributions section page"),
    ("/development/", "LWN's development section page"),
    ("/calendar/", "LWN's event calendar"),
    ("/comments/", "a list of comments"),
    ("/headlines/", "an LWN news feed"),
    ("/login", "LWN's login page"),
    ("/myaccount", "an LWN account page"),
    ("/subscribe", "LWN's subscription offer"),
)
_SEARCH_TITLE_RE = re.compile(r"^(?:LWN\.net\s+)?search(?:\s+results)?\b", re.IGNORECASE)
_USER_COMMENTS_RE = re.compile(r"^Comments\s+posted\s+by\s+(?P<user>\S.{0,60}?)\s*$", re.I)
_INDEX_TITLE_RE = re.compile(
    r"^(?:LWN\.net\s+)?(?P<what>kernel|security|guest[\s-]*(?:author)?|conference)"
    r"\s+(?:article\s+)?index\b",
    re.IGNORECASE,
)
_ARCHIVES_TITLE_RE = re.compile(r"^(?:LWN\.net\s+)?(?:weekly\s+edition\s+)?archives?\b", re.I)
_FEATURES_TITLE_RE = re.compile(r"^(?:LWN\.net\s+)?recent\s+features\s*$", re.IGNORECASE)
# Structure: this many index entries, or links to weekly editions, make a list.
_MIN_INDEX_ENTRIES = 3
_MIN_EDITION_LINKS = 5
_EDITION_LINK_TEXT = "Weekly Edition for"
# An unsigned page with no id that links to this many other articles is a
# listing of some kind, not an article.
_MIN_LISTING_LINKS = 5


def refusal(
    index: PageIndex,
    soup: BeautifulSoup,
    text: str,
    *,
    title: str,
    url: str | None,
    headlines: int,
) -> str | None:
    """Why this page is not parsed (a one-line reason), or None to go on.

    *title* is the page's own title, *text* the decoded page and *headlines*
    the number of ``Headline`` elements (the caller has ruled out the home page).
    """
    by_url = _by_url(url)
    if by_url is not None:
        return _NOT_ARTICLE + by_url
    match = _USER_COMMENTS_RE.match(title)
    if match is not None:
        return f"{_NOT_ARTICLE}the list of comments posted by {match.group('user')}"
    if headlines >= 2 and not index.markers and not index.comment_boxes:
        return f"{_NOT_ARTICLE}an LWN section page listing headlines ({title[:60]!r})"
    if index.markers or index.bylines:
        return None  # editions and articles: whatever their title says
    if _SEARCH_TITLE_RE.match(title):
        return _NOT_ARTICLE + "LWN's search results page"
    match = _INDEX_TITLE_RE.match(title)
    if match is not None:
        return f"{_NOT_ARTICLE}LWN's {match.group('what').lower()} index"
    if _FEATURES_TITLE_RE.match(title):
        return _NOT_ARTICLE + "LWN's list of recent features"
    if _ARCHIVES_TITLE_RE.match(title):
        return _NOT_ARTICLE + "LWN's archives index"
    if index.comment_boxes:
        return None
    if _count_index_entries(soup, text) >= _MIN_INDEX_ENTRIES:
        return f"{_NOT_ARTICLE}an LWN index of articles ({title[:60]!r})"
    if text.count(_EDITION_LINK_TEXT) >= _MIN_EDITION_LINKS:
        return f"{_NOT_ARTICLE}a list of LWN weekly editions ({title[:60]!r})"
    return None


def _by_url(url: str | None) -> str | None:
    """What the address says, for lwn.net addresses other than articles."""
    if not url:
        return None
    raw = url.strip()
    if "://" not in raw and not raw.startswith("/"):
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if host and host != "lwn.net" and not host.endswith(".lwn.net"):
        return None
    path = parts.path.lower()
    if path.rstrip("/") == "/articles":
        return "LWN's list of recent features"
    if not path.endswith("/"):
        path += "/"
    for prefix, what in _PATHS:
        if path.startswith(prefix):
            return what
    return None


def _count_index_entries(soup: BeautifulSoup, text: str) -> int:
    if text.count("IndexEntry") < _MIN_INDEX_ENTRIES:  # skip the walk on most pages
        return 0
    return len(soup.find_all(class_="IndexEntry"))


def unknown_shape(article_text: Tag | None, url: str | None) -> str | None:
    """Why a page parsed as an article (with no id, byline or comments) looks
    like something else, or None when nothing says so."""
    if url and _is_lwn_page_url(url):
        return f"an lwn.net address that is not an article ({url[:80]})"
    if article_text is not None:
        linked = {article_id(attr(a, "href")) for a in article_text.find_all("a", href=True)}
        linked.discard(None)
        if len(linked) >= _MIN_LISTING_LINKS:
            return f"no byline or id, and links to {len(linked)} articles like a listing"
    return None


def _is_lwn_page_url(url: str) -> bool:
    """An lwn.net address (not a bare path) outside ``/Articles/`` and ``/SubscriberLink/``."""
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw.lstrip("/")
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if host != "lwn.net" and not host.endswith(".lwn.net"):
        return False
    return not parts.path.lower().startswith(("/articles/", "/subscriberlink/", "/current"))
