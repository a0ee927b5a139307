"""Sanitise HTML fragments before they are stored (nh3, an allowlist).

Everything that is later rendered as HTML — article bodies, merge-window
items, comments written by strangers, and whatever a curator types in admin —
goes through ``html_sanitize`` on the way into the database, so templates and
the API never see a script, an event handler, an inline style, a ``<meta>``
refresh or a ``javascript:`` link. Relative LWN links are made absolute so they
keep working off-site.

No Django here: the parse step runs it in a child process that has no settings
(``services.parse_limits``), and the model field that guards every write
(``models.fields.SanitizedHTMLField``) sits below the services.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import urljoin

import nh3

from .depth import MAX_DEPTH, html_depth
from .types import ParsedComment, ParsedItem, ParsedPage

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


class CleanHTML(str):
    """A string ``html_sanitize`` returned: sanitising it again is a no-op."""

    __slots__ = ()


_TAG = re.compile(r"<[^>]*>?")


def html_flatten(fragment: str) -> CleanHTML:
    """The text of ``fragment`` without any markup, escaped, in one paragraph.

    For fragments nested deeper than ``MAX_DEPTH``: cleaning them is quadratic in
    the depth, and no real page nests so deep. Linear: one regular expression.
    """
    text = " ".join(html.unescape(_TAG.sub(" ", fragment)).split())
    return CleanHTML(f"<p>{html.escape(text, quote=False)}</p>" if text else "")


def html_too_deep(fragment: str) -> int | None:
    """The nesting depth of ``fragment`` when it is over ``MAX_DEPTH``, else None."""
    depth = html_depth(fragment, stop_above=MAX_DEPTH)
    return depth if depth > MAX_DEPTH else None


def html_sanitize(fragment: str) -> CleanHTML:
    """Return ``fragment`` with only allowlisted tags, attributes and URL schemes.

    Links get ``rel="nofollow noopener"``; comments, scripts and styles are
    removed with their content. A fragment nested deeper than ``MAX_DEPTH`` is
    flattened to its escaped text (``html_flatten``) instead of cleaned, so the
    cost stays linear in its size. Its own output passes through unchanged.
    """
    if isinstance(fragment, CleanHTML):
        return fragment
    if not fragment:
        return CleanHTML("")
    if "<" in fragment and html_too_deep(fragment) is not None:
        return html_flatten(fragment)
    return CleanHTML(_CLEANER.clean(fragment))


def _item_sanitize(item: ParsedItem) -> ParsedItem:
    window = item.merge_window
    if window is not None:
        groups = [
            replace(group, items_html=[html_sanitize(h) for h in group.items_html])
            for group in window.groups
        ]
        window = replace(window, groups=groups)
    return replace(item, body_html=html_sanitize(item.body_html), merge_window=window)


def _comment_sanitize(comment: ParsedComment) -> ParsedComment:
    return replace(comment, body_html=html_sanitize(comment.body_html))


def page_sanitize(page: ParsedPage) -> ParsedPage:
    """``page`` with every HTML fragment it carries sanitised (``html_sanitize``)."""
    return replace(
        page,
        items=[_item_sanitize(item) for item in page.items],
        comments=[_comment_sanitize(c) for c in page.comments],
    )
