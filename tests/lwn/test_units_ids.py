"""A page's own id, from every place the page names itself (``own_id``)."""

from __future__ import annotations

import pytest

from articles.lwn import LWNParseError, parse_page
from tests.lwn.pagebuilder import page_bytes

_BODY = (
    '<div class="GAByline"><p>October 17, 2007</p>'
    "<p>This article was contributed by Ann Other</p></div>\n"
    "<p>Some article text.</p>\n"
    # Links to other pages never name this one.
    '<p>See also <a href="/Articles/111111/">an older article</a> and '
    '<a href="https://lwn.net/Articles/222222/">another</a>.</p>\n'
)
_COMMENT_LINK = (
    '<div class="CommentBox"><p class="CommentTitle">T</p><div class="CommentBody">'
    '<p class="CommentPoster">Posted Oct 18, 2007 13:33 UTC (Thu) by <b>dany</b> '
    '(subscriber, #18902) [<a href="/Articles/333333/">Link</a>]</p>'
    '<div class="FormattedComment">x</div></div></div>\n'
)


def _id_of(extra: str = "", *, head: str = "", sidebar: str = "", url: str | None = None) -> int:
    data = page_bytes(_BODY + extra, layout="table", head_extra=head, sidebar=sidebar)
    lwn_id = parse_page(data, url=url).lwn_id
    assert lwn_id is not None
    return lwn_id


@pytest.mark.parametrize(
    ("extra", "sidebar"),
    [
        ("", '<a href="/Articles/254909/?format=printable">Printable page</a>'),
        ("", '<a href="https://lwn.net/Articles/254909/?format=printable">Print</a>'),
        ('<p><a href="/headlines/254909/">Comments RSS feed</a></p>', ""),
        ('<p>(<a href="/login?target=/Articles/254909/">Log in</a> to post comments)</p>', ""),
        ('<p>(<a href="/Login/?target=%2FArticles%2F254909%2F">Log in</a> to post)</p>', ""),
    ],
    ids=["printable", "printable-absolute", "comments-feed", "login-target", "login-escaped"],
)
def test_it_takes_the_id_from_a_self_link(extra: str, sidebar: str) -> None:
    assert _id_of(extra + _COMMENT_LINK, sidebar=sidebar) == 254909


def test_it_ignores_links_to_other_articles() -> None:
    data = page_bytes(_BODY + _COMMENT_LINK, layout="table")
    assert parse_page(data).lwn_id is None


def test_it_accepts_every_source_naming_the_same_id() -> None:
    head = '<link rel="canonical" href="https://lwn.net/Articles/254909/">\n'
    extra = (
        '<p><a href="/headlines/254909/">feed</a> '
        '<a href="/login?target=/Articles/254909/">Log in</a></p>'
    )
    sidebar = '<a href="/Articles/254909/?format=printable">Printable page</a>'
    assert _id_of(extra, head=head, sidebar=sidebar) == 254909


@pytest.mark.parametrize(
    ("head", "extra", "message"),
    [
        (
            '<link rel="canonical" href="https://lwn.net/Articles/254909/">\n',
            '<p><a href="/Articles/254910/?format=printable">Printable page</a></p>',
            "254909 (canonical link) and 254910 (printable link)",
        ),
        (
            '<meta property="og:url" content="https://lwn.net/Articles/254909/">\n',
            '<p><a href="/headlines/254911/">feed</a></p>',
            "254909 (og:url) and 254911 (comments feed link)",
        ),
        (
            "",
            '<p><a href="/headlines/254909/">feed</a> '
            '<a href="/login?target=/Articles/254912/">Log in</a></p>',
            "254909 (comments feed link) and 254912 (login link target)",
        ),
    ],
    ids=["canonical-printable", "og-feed", "login-feed"],
)
def test_it_refuses_a_page_naming_two_ids(head: str, extra: str, message: str) -> None:
    data = page_bytes(_BODY + extra, layout="table", head_extra=head)
    with pytest.raises(LWNParseError, match="the page names two ids") as caught:
        parse_page(data)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_it_lets_the_url_win_over_self_links() -> None:
    extra = '<p><a href="/headlines/254909/">feed</a></p>'
    assert _id_of(extra, url="https://lwn.net/Articles/777777/") == 777777


def test_it_lets_the_url_settle_a_page_naming_two_ids() -> None:
    extra = '<p><a href="/headlines/254909/">f</a> <a href="/login?target=/Articles/2/">L</a></p>'
    assert _id_of(extra, url="https://lwn.net/Articles/254909/") == 254909


def test_it_names_the_login_form_target_input() -> None:
    extra = (
        '<form action="/Login/"><input type="hidden" name="target" value="/Articles/5/"></form>'
        '<p><a href="/Articles/6/?format=printable">Printable page</a></p>'
    )
    with pytest.raises(LWNParseError, match=r"5 \(login form target\) and 6 \(printable link\)"):
        parse_page(page_bytes(_BODY + extra, layout="table"))


def test_it_takes_the_id_from_the_comments_feed_in_the_head() -> None:
    head = '<link rel="alternate" type="application/rss+xml" href="/headlines/254909/">\n'
    assert _id_of(head=head) == 254909
