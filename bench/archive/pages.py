"""Page writers: the HTML of an edition's big page, an item's own page with its
thread, a "Subscription required" page and the home page, each in its era's markup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html import escape

from . import shape
from .chrome import page
from .model import Article, Comment, Edition


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def posted(at: dt.datetime) -> str:
    return f"{at:%b} {at.day}, {at.year} {at.hour}:{at.minute:02d} UTC ({at:%a})"


def encode(html: str, charset: str) -> bytes:
    return html.encode(charset, "xmlcharrefreplace")


def _byline(article: Article) -> str:
    if article.kind == "guest":
        return (
            f'<div class="GAByline">\n<p>{long_date(article.date)}</p>\n'
            f"<p>This article was contributed by {escape(article.author)}</p>\n</div>\n"
        )
    if article.kind == "brief":
        return f'<div class="Byline">[Posted {long_date(article.date)} by {article.login}]</div>\n'
    return (
        '<div class="FeatureByline">\nBy '
        f"<b>{escape(article.author)}</b><br>{long_date(article.date)}\n</div>\n"
    )


def _count_link(article: Article) -> str:
    n = len(article.comments)
    href = f"/Articles/{article.lwn_id}/"
    if article.kind == "brief":
        shown = str(n) if n else "none"
        return (
            f'<p><a href="{href}">Full Story</a> (<a '
            f'href="{href}#Comments">comments: {shown}</a>)</p>\n'
        )
    shown = str(n) if n else "none"
    return f'<p><a href="{href}#Comments">Comments ({shown} posted)</a></p>\n'


def edition_page(edition: Edition) -> bytes:
    """The edition as one big page (``/Articles/N/bigpage``)."""
    year = edition.date.year
    layout = shape.layout_for(year)
    tag = "p" if year < 2012 else "h2"
    parts: list[str] = []
    cat1 = cat2 = None
    for article in edition.articles:
        first, _, second = article.section.partition(": ")
        if first != cat1:
            parts.append(f'<p class="Cat1HL">{first}</p>\n')
            cat1, cat2 = first, None
        if second and second != cat2:
            parts.append(f'<p class="Cat2HL">{second}</p>\n')
            cat2 = second
        parts.append(
            f'<{tag} class="SummaryHL"><a href="/Articles/{article.lwn_id}/">'
            f"{escape(article.title)}</a></{tag}>\n"
        )
        parts.append(_byline(article) + article.body + _count_link(article) + "<p>&nbsp;</p>\n")
    parts.append("<p>\n<b>Page editor</b>: Jonathan Corbet<br>\n</p>\n")
    title = f"LWN.net Weekly Edition for {long_date(edition.date)}"
    html = page(
        layout=layout,
        charset=shape.charset_for(year),
        title=title,
        body="".join(parts),
        target=f"/Articles/{edition.lwn_id}/bigpage",
        year=year,
    )
    return encode(html, shape.charset_for(year))


def article_page(article: Article) -> bytes:
    """An item's own page with its whole comment thread."""
    year = article.year
    layout = shape.layout_for(year)
    markup = shape.comment_markup_for(year)
    parts = [_byline(article), article.body]
    if markup != "details":
        parts.append(_count_link(article))
    parts.append(
        '<br clear="all">\n<hr width="60%" align="left">\n'
        f'(<a href="https://lwn.net/Login/?target=/Articles/{article.lwn_id}/">Log in</a> '
        'to post comments)\n<a name="Comments"></a>\n'
    )
    roots = [i for i, c in enumerate(article.comments) if c.parent is None]
    render = _details if markup == "details" else _old
    for root in roots:
        parts.extend(render(article.comments, root, markup))
    html = page(
        layout=layout,
        charset=shape.charset_for(year),
        title=article.title,
        body="".join(parts),
        target=f"/Articles/{article.lwn_id}/",
        year=year,
    )
    return encode(html, shape.charset_for(year))


def _poster(c: Comment) -> str:
    return (
        f"Posted {posted(c.posted_at)} by <b>{c.author}</b> ({c.role}, #{c.user_no}) "
        f'[<a href="/Articles/{c.lwn_id}/">Link</a>]'
    )


def _reply(c: Comment) -> str:
    return (
        f'<div class="CommentReplyButton">\n<form action="/Articles/{c.lwn_id}/comment" '
        'method="post">\n<input type="submit" value="Reply to this comment">\n</form>\n</div>\n'
    )


def _old(comments: list[Comment], index: int, markup: str) -> Iterator[str]:
    """Old markup: the box, then the replies in a sibling ``div.Comment``. Iterative
    over the reply stack, since threads nest 40 deep."""
    stack: list[tuple[int, bool]] = [(index, False)]
    while stack:
        i, closing = stack.pop()
        if closing:
            yield "</div>\n"
            continue
        c = comments[i]
        if markup == "bare":
            body = c.body[0] + "\n" + "".join(f"<p>{p}</p>\n" for p in c.body[1:])
        else:
            body = (
                '<div class="FormattedComment">\n'
                + "".join(f"<p>{p}</p>\n" for p in c.body)
                + "</div>\n"
            )
        yield (
            f'<a name="CommAnchor{c.lwn_id}"></a>\n<div class="CommentBox">\n'
            f'<p class="CommentTitle">{escape(c.title)}</p>\n<div class="CommentBody">\n'
            f'<p class="CommentPoster">{_poster(c)}</p>\n{body}{_reply(c)}</div>\n</div>\n'
        )
        if c.children:
            yield '<div class="Comment">\n'
            stack.append((i, True))
            stack.extend((child, False) for child in reversed(c.children))


def _descendants(comments: list[Comment], index: int) -> int:
    total, stack = 0, list(comments[index].children)
    while stack:
        total += 1
        stack.extend(comments[stack.pop()].children)
    return total


def _details(comments: list[Comment], index: int, markup: str) -> Iterator[str]:
    """2024+ markup: replies nest inside their parent's ``details.CommentBox``."""
    stack: list[tuple[int, bool]] = [(index, False)]
    while stack:
        i, closing = stack.pop()
        if closing:
            yield "</details>\n"
            continue
        c = comments[i]
        n = _descendants(comments, i)
        responses = f" ({n} response{'s' if n != 1 else ''})" if n else ""
        body = (
            '<div class="FormattedComment">\n'
            + "".join(f"<p>{p}</p>\n" for p in c.body)
            + "</div>\n"
        )
        yield (
            f'<a name="CommAnchor{c.lwn_id}"></a>\n<details class="CommentBox" open>\n<summary>\n'
            f'<h3 class="CommentTitle">{escape(c.title)}</h3>\n'
            f'<div class="CommentPoster">{_poster(c)}{responses}</div>\n</summary>\n'
            f"{body}{_reply(c)}"
        )
        stack.append((i, True))
        stack.extend((child, False) for child in reversed(c.children))


def subscription_page(article: Article) -> bytes:
    """What a non-subscriber gets for a subscriber-only item in its first week."""
    year = article.year
    free_on = article.date + dt.timedelta(days=7)
    body = (
        f'<!-- offer -->The page you have tried to view (<a href="/Articles/{article.lwn_id}/">'
        f"{escape(article.title)}</a>) is currently available to LWN "
        "subscribers only.  <!-- exp -->\n"
        "<p>\nReader subscriptions are what pay for the writing here.\n<p>\n"
        '<form action="https://lwn.net/Login/" method="post">\n'
        f'<input type="hidden" name="target" value="/Articles/{article.lwn_id}/">\n'
        '<table class="Form">\n<tr><td><b>User name:</b></td><td><input '
        'type="text" name="uname"></td></tr>\n'
        '<tr><td><b>Password:</b></td><td><input type="password" name="pword"></td></tr>\n'
        "</table>\n</form>\n<!-- login -->\n<p>\n"
        f"(Alternatively, this item will become freely available on {long_date(free_on)})\n"
    )
    html = page(
        layout=shape.layout_for(year),
        charset=shape.charset_for(year),
        title="Subscription required",
        body=body,
        target=f"/Articles/{article.lwn_id}/",
        year=year,
    )
    return encode(html, shape.charset_for(year))


HOME_SECTIONS = {"Front page": "Kernel", "Announcements": "Announcements"}


def home_section(article: Article) -> str:
    first, _, second = article.section.partition(": ")
    return second or HOME_SECTIONS.get(first, first)


def home_posted_at(article: Article) -> dt.datetime:
    return dt.datetime.combine(
        article.date, dt.time(9 + article.lwn_id % 10, article.lwn_id % 60), dt.UTC
    )


def home_page(articles: list[Article]) -> bytes:
    """The lwn.net home page of the archive's last day: its newest items."""
    year = shape.LAST_EDITION.year
    parts = [
        '<div class="BlurbListing">\n<p>LWN.net is a reader-supported news site.</p>\n</div>\n'
    ]
    for article in articles:
        marker = "[$] " if article.subscriber_only else ""
        first = article.body.split("</p>", 1)[0].removeprefix("<p>").removeprefix("<h4>")
        parts.append(
            '<div class="pure-u-1 FrontItem">\n<h2 class="Headline"><a '
            f'href="/Articles/{article.lwn_id}/">'
            f'{marker}{escape(article.title)}</a></h2>\n<div class="BlurbListing">\n'
            f'<div class="FeatureByline">\n[{home_section(article)}] Posted '
            f"{posted(home_posted_at(article))} by <b>{article.login}</b>\n</div>\n"
            f"<p>{first}</p>\n{_count_link(article)}</div>\n</div>\n"
        )
    html = page(
        layout=shape.layout_for(year),
        charset="utf-8",
        title="Welcome to LWN.net",
        body="".join(parts),
        target="/",
        year=year,
    )
    return encode(html, "utf-8")
