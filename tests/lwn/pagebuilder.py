"""Build small LWN-shaped pages around inline HTML snippets for unit tests.

The skeletons follow the three layouts in docs' markup reference: "table"
(2015: ``table.Page``/``td.MidColumn``), "grid" (Pure CSS, 2017+) and
"modern" (2024+: ``<main>`` inside ``div.ArticleText``).
"""

from __future__ import annotations

from typing import Any, Literal

LayoutName = Literal["table", "grid", "modern"]

_HEAD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><title>{title} [LWN.net]</title>\n'
    '<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
    "{head_extra}</head>\n<body>\n"
)
_TABLE = (
    '<table class="Page"><tr><td class="LeftColumn">{sidebar}</td><td>'
    '<table><tr><td class="MidColumn">'
    '<div class="PageHeadline"><h1>{h1}</h1></div>\n'
    '<div class="ArticleText">\n{body}\n</div> <!-- ArticleText -->\n'
    "</td></tr></table></td></tr></table>\n"
)
_GRID = (
    '<div class="pure-grid maincolumn"><div class="lwn-u-1 pure-u-md-19-24">\n'
    '<div class="PageHeadline"><h1>{h1}</h1></div>\n'
    '<div class="ArticleText">\n{body}\n</div> <!-- ArticleText -->\n'
    '</div><div class="lwn-u-1 pure-u-md-1-6 not-print">{sidebar}</div></div>\n'
)
_MODERN = (
    '<div class="pure-grid maincolumn"><div class="lwn-u-1 pure-u-md-19-24">\n'
    '<div class="PageHeadline"><h1>{h1}</h1></div>\n'
    '<div class="ArticleText"><main>\n{body}\n</main></div> <!-- ArticleText -->\n'
    '</div><div class="lwn-u-1 pure-u-md-1-6 not-print">{sidebar}</div></div>\n'
)
_LAYOUTS = {"table": _TABLE, "grid": _GRID, "modern": _MODERN}


def page_html(
    body: str,
    *,
    title: str = "A test article",
    h1: str | None = None,
    layout: LayoutName = "grid",
    charset: str = "utf-8",
    head_extra: str = "",
    sidebar: str = "",
) -> str:
    """A whole page with *body* inside ``div.ArticleText``."""
    head = _HEAD.format(title=title, charset=charset, head_extra=head_extra)
    main = _LAYOUTS[layout].format(h1=title if h1 is None else h1, body=body, sidebar=sidebar)
    return head + main + "</body></html>\n"


def page_bytes(body: str, **kwargs: Any) -> bytes:
    """``page_html`` encoded as UTF-8."""
    return page_html(body, **kwargs).encode("utf-8")


def feature(
    lwn_id: int,
    title: str,
    *,
    author: str = "Jonathan Corbet",
    date: str = "June 10, 2020",
    body: str = "<p>Body text.</p>",
    comments: str = "3 posted",
    heading: str = "h2",
) -> str:
    """One feature item as it appears in an edition."""
    return (
        f'<{heading} class="SummaryHL"><a href="/Articles/{lwn_id}/">{title}</a></{heading}>\n'
        f'<div class="FeatureByline">\nBy <b>{author}</b><br>{date}\n</div>\n'
        f"{body}\n"
        f'<p><a href="/Articles/{lwn_id}/#Comments">Comments ({comments})</a></p>\n<p>&nbsp;</p>\n'
    )


def brief(lwn_id: int, title: str, *, login: str = "jake", body: str = "<p>News.</p>") -> str:
    return (
        f'<h2 class="SummaryHL"><a href="/Articles/{lwn_id}/">{title}</a></h2>\n'
        f'<div class="Byline">[Posted June 9, 2020 by {login}]</div>\n{body}\n'
        f'<p><a href="/Articles/{lwn_id}/">Full Story</a> '
        f'(<a href="/Articles/{lwn_id}/#Comments">comments: 2</a>)</p>\n'
    )


def edition_bytes(body: str, *, date: str = "June 11, 2020", layout: LayoutName = "grid") -> bytes:
    title = f"LWN.net Weekly Edition for {date}"
    return page_bytes(body, title=title, layout=layout)
