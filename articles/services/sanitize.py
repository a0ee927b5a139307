"""Sanitise HTML fragments before they are stored (nh3, an allowlist).

Everything LWN-derived that is later rendered as HTML — article bodies,
merge-window items, comments written by strangers — goes through
``html_sanitize`` on the way into the database, so templates and the API
never see a script, an event handler, an inline style or a ``javascript:``
link. Relative LWN links are made absolute so they keep working off-site.
"""

from __future__ import annotations

from urllib.parse import urljoin

import nh3

LWN_BASE = "https://lwn.net/"

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    # LWN's own structural classes (BigQuote, OddEven…) keep their meaning for styling.
    "div": {"class"},
    "span": {"class"},
    "table": {"class"},
    "tr": {"class"},
    "p": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})


def _absolute_urls(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"}:
        return urljoin(LWN_BASE, value.strip())
    return value


# Built once: nh3.clean() builds the same allowlist on every call, which an
# edition's forty-odd fragments paid for each time (bench/bench_ingest.py).
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="nofollow noopener",
    strip_comments=True,
    clean_content_tags={"script", "style"},
    attribute_filter=_absolute_urls,
)


def html_sanitize(fragment: str) -> str:
    """Return ``fragment`` with only allowlisted tags, attributes and URL schemes.

    Links get ``rel="nofollow noopener"``; comments, scripts and styles are
    removed with their content.
    """
    if not fragment:
        return ""
    return _CLEANER.clean(fragment)
