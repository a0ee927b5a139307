"""Comment threads in the old (div.CommentBox + div.Comment) and new
(nested details.CommentBox) markups."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup, Tag

from articles.lwn.comments import parse_comments, parse_role
from articles.lwn.types import ParsedComment
from articles.lwn.warnings import Warnings
from tests.lwn.conftest import assert_no_chrome, fixture_page


def _old_box(lwn_id: int, title: str, who: str, role: str, when: str, body: str, link: bool) -> str:
    anchor = f'[<a href="/Articles/{lwn_id}/">Link</a>]' if link else ""
    return (
        f'<a name="CommAnchor{lwn_id}"></a>\n<div class="CommentBox">\n'
        f'<p class="CommentTitle">{title}</p>\n<div class="CommentBody">\n'
        f'<p class="CommentPoster">Posted {when} by <b>{who}</b> ({role}) {anchor}</p>\n'
        f'<div class="FormattedComment">{body}</div>\n'
        '<div class="CommentReplyButton"><form><input type="submit" value="Reply"></form></div>\n'
        "</div></div>\n"
    )


def _parse(html: str) -> tuple[list[ParsedComment], list[str]]:
    """The comments and the codes of the warnings."""
    soup = BeautifulSoup(f"<html><body>{html}</body></html>", "lxml")
    boxes = [tag for tag in soup.find_all(class_="CommentBox") if isinstance(tag, Tag)]
    warnings = Warnings()
    return parse_comments(boxes, warnings), warnings.codes()


OLD_THREAD = (
    _old_box(
        101,
        "Top",
        "alice",
        "subscriber, #18902",
        "Jun 5, 2020 18:04 UTC (Fri)",
        "<p>First</p>",
        True,
    )
    + '<div class="Comment">'
    + _old_box(102, "Top", "corbet", "editor, #1", "Jun 5, 2020 18:30 UTC (Fri)", "Reply", False)
    + '<div class="Comment">'
    + _old_box(
        103, "Deeper", "Jürgen", "guest, #3", "Jun 6, 2020 1:02 UTC (Sat)", "<pre>x  y</pre>", True
    )
    + "</div>"
    + _old_box(
        104, "Second reply", "bob", "subscriber, #7", "Jun 6, 2020 2:00 UTC (Sat)", "Two", True
    )
    + "</div>"
    + _old_box(
        105, "Another", "carol", "✭ supporter ✭, #9", "Jun 7, 2020 0:00 UTC (Sun)", "Three", True
    )
)


def test_it_reads_old_markup_ids_parents_and_depths() -> None:
    comments, warnings = _parse(OLD_THREAD)
    assert warnings == []
    assert [(c.lwn_id, c.parent_id, c.depth) for c in comments] == [
        (101, None, 0),
        (102, 101, 1),
        (103, 102, 2),
        (104, 101, 1),
        (105, None, 0),
    ]


def test_it_takes_the_id_from_the_anchor_when_there_is_no_link() -> None:
    comments, _ = _parse(OLD_THREAD)
    assert comments[1].lwn_id == 102


def test_it_reads_poster_role_title_time_and_body() -> None:
    comments, _ = _parse(OLD_THREAD)
    first = comments[0]
    assert (first.title, first.author, first.role) == ("Top", "alice", "subscriber")
    assert first.posted_at == dt.datetime(2020, 6, 5, 18, 4, tzinfo=dt.UTC)
    assert first.body_text == "First"
    assert first.body_html == "<p>First</p>"
    assert comments[2].author == "Jürgen"
    assert comments[2].body_text == "x  y"  # preformatted text keeps its spacing
    assert comments[4].role == "supporter"


def _details(lwn_id: int, title: str, who: str, role: str, inner: str = "") -> str:
    return (
        f'<a name="CommAnchor{lwn_id}"></a><details class="CommentBox" open><summary>'
        f'<h3 class="CommentTitle">{title}</h3>'
        f'<div class="CommentPoster">Posted Dec 10, 2025 4:25 UTC (Wed) by <b>{who}</b> ({role}) '
        f'[<a href="/Articles/{lwn_id}/">Link</a>] (1 response)</div></summary>'
        f'<div class="FormattedComment"><p>Body of {lwn_id}</p></div>'
        '<div class="CommentReplyButton">…</div>'
        f"{inner}</details>"
    )


def test_it_reads_nested_details_comments() -> None:
    html = _details(
        201,
        "Nice",
        "ktkaffee",
        "subscriber, #112877",
        _details(202, "Nice", "corbet", "editor, #1", _details(203, "Re", "x", "guest, #5")),
    )
    html += _details(204, "Other", "y", "subscriber, #6")
    comments, warnings = _parse(html)
    assert warnings == []
    assert [(c.lwn_id, c.parent_id, c.depth, c.author) for c in comments] == [
        (201, None, 0, "ktkaffee"),
        (202, 201, 1, "corbet"),
        (203, 202, 2, "x"),
        (204, None, 0, "y"),
    ]
    # A parent's body never swallows its replies.
    assert comments[0].body_text == "Body of 201"
    assert comments[0].posted_at == dt.datetime(2025, 12, 10, 4, 25, tzinfo=dt.UTC)


def test_it_skips_a_comment_without_an_id_and_warns() -> None:
    html = (
        '<div class="CommentBox"><p class="CommentTitle">T</p><div class="CommentBody">'
        '<p class="CommentPoster">Posted Jun 5, 2020 18:04 UTC (Fri) by <b>a</b></p>'
        '<div class="FormattedComment">x</div></div></div>'
    )
    comments, warnings = _parse(html)
    assert comments == []
    assert len(warnings) == 1
    assert warnings == ["comment-no-id"]


def test_it_skips_a_comment_without_a_time_and_warns() -> None:
    html = _old_box(300, "T", "a", "subscriber, #1", "sometime", "x", True)
    comments, warnings = _parse(html)
    assert comments == []
    assert warnings[0] == "comment-no-time"


@pytest.mark.parametrize(
    ("poster", "role"),
    [
        ("by dany (subscriber, #18902) [Link]", "subscriber"),
        ("by someone (guest, #150000)", "guest"),
        ("by corbet (editor, #1)", "editor"),
        ("by fan (✭ supporter ✭, #112877)", "supporter"),
        ("by x (LWN editor, #2)", "editor"),
        ("by nobody", None),
    ],
)
def test_it_normalises_poster_roles(poster: str, role: str | None) -> None:
    assert parse_role(poster) == role


def test_it_never_takes_a_reply_anchor_for_the_parent() -> None:
    reply = (
        '<a name="CommAnchor402"></a><details class="CommentBox"><summary>'
        '<h3 class="CommentTitle">r</h3><div class="CommentPoster">Posted Dec 10, 2025 5:00 UTC'
        ' by <b>b</b></div></summary><div class="FormattedComment">r</div></details>'
    )
    parent = (
        '<details class="CommentBox"><summary><h3 class="CommentTitle">p</h3>'
        '<div class="CommentPoster">Posted Dec 10, 2025 4:25 UTC by <b>a</b></div></summary>'
        f'<div class="FormattedComment">p</div>{reply}</details>'
    )
    comments, warnings = _parse(parent)
    assert [c.lwn_id for c in comments] == [402]
    assert "comment-no-id" in warnings


def _bare_box(lwn_id: int, body: str, *, wrapped: bool = False) -> str:
    """An old-markup box whose body sits bare in CommentBody (or, with
    *wrapped*, inside FormattedComment), with the reply form after it."""
    inner = f'<div class="FormattedComment">{body}</div>' if wrapped else body
    return (
        f'<a name="CommAnchor{lwn_id}"></a>\n<div class="CommentBox">\n'
        f'<p class="CommentTitle">Title {lwn_id}</p>\n<div class="CommentBody">\n'
        f'<p class="CommentPoster">Posted Oct 18, 2007 13:33 UTC (Thu) by <b>poster{lwn_id}</b>'
        f' (subscriber, #18902) [<a href="/Articles/{lwn_id}/">Link</a>]</p>\n'
        f"{inner}\n"
        '<div class="CommentReplyButton"><form action="/Articles/1/post" method="post">'
        '<input type="submit" value="Reply to this comment"></form></div>\n'
        "</div></div>\n"
    )


def test_it_reads_a_bare_body_of_text_and_inline_elements() -> None:
    body = "Plain words with <i>emphasis</i> and <a href='/x'>a link</a>,<br>\nthen a line."
    comments, warnings = _parse(_bare_box(501, body))
    assert warnings == []
    assert comments[0].body_text == "Plain words with emphasis and a link,\nthen a line."
    assert comments[0].body_html == (
        'Plain words with <i>emphasis</i> and <a href="/x">a link</a>,<br/>\nthen a line.'
    )


def test_it_reads_a_bare_body_of_paragraphs_pre_and_blockquote() -> None:
    body = (
        "Opening words.\n<p>A paragraph.</p>\n<blockquote>Quoted text.</blockquote>\n"
        "<pre>a  =  b\n  c</pre>\nClosing words."
    )
    comments, _ = _parse(_bare_box(502, body))
    assert comments[0].body_text == (
        "Opening words.\n\nA paragraph.\n\nQuoted text.\n\na  =  b\n  c\n\nClosing words."
    )
    assert "<blockquote>Quoted text.</blockquote>" in comments[0].body_html
    assert "<pre>a  =  b\n  c</pre>" in comments[0].body_html


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapped"])
def test_it_never_leaks_poster_reply_form_or_replies_into_a_body(wrapped: bool) -> None:
    html = (
        _bare_box(601, "<p>Parent words.</p>", wrapped=wrapped)
        + '<div class="Comment">'
        + _bare_box(602, "Reply words.", wrapped=wrapped)
        + '<div class="Comment">'
        + _bare_box(603, "Deep words.", wrapped=wrapped)
        + "</div></div>"
    )
    comments, warnings = _parse(html)
    assert warnings == []
    assert [(c.lwn_id, c.parent_id, c.depth) for c in comments] == [
        (601, None, 0),
        (602, 601, 1),
        (603, 602, 2),
    ]
    assert [c.body_text for c in comments] == ["Parent words.", "Reply words.", "Deep words."]
    for comment in comments:
        for leak in ("Posted", "poster", "Reply to this comment", "Title", "<form", "<input"):
            assert leak not in comment.body_text
            assert leak not in comment.body_html


def test_it_keeps_a_reply_container_inside_the_body_out_of_it() -> None:
    """Some pages put the replies' div.Comment inside the parent's CommentBody."""
    reply = '<div class="Comment">' + _bare_box(702, "Reply words.") + "</div>"
    html = _bare_box(701, "Parent words.").replace(
        '<div class="CommentReplyButton">', reply + '<div class="CommentReplyButton">', 1
    )
    comments, _ = _parse(html)
    assert [(c.lwn_id, c.body_text) for c in comments] == [
        (701, "Parent words."),
        (702, "Reply words."),
    ]


def test_it_reads_bare_and_wrapped_bodies_on_one_page() -> None:
    html = _bare_box(801, "Bare one.") + _bare_box(802, "<p>Wrapped one.</p>", wrapped=True)
    comments, warnings = _parse(html)
    assert warnings == []
    assert [c.body_text for c in comments] == ["Bare one.", "Wrapped one."]


@pytest.mark.parametrize("body", ["", "  \n ", '<div class="FormattedComment"> </div>', "<p> </p>"])
def test_it_warns_only_about_truly_empty_bodies(body: str) -> None:
    comments, warnings = _parse(_bare_box(901, body))
    assert warnings == ["comment-no-body"]
    assert comments[0].body_text == ""


def test_it_does_not_warn_about_a_body_that_is_only_an_image() -> None:
    comments, warnings = _parse(_bare_box(902, '<img src="/images/x.png" alt="">'))
    assert warnings == []
    assert comments[0].body_html == '<img src="/images/x.png" alt=""/>'


OLD_PAGE = "article-2007-oldcomments.html"


def _old_page_comments() -> list[ParsedComment]:
    return fixture_page(OLD_PAGE).comments


def test_it_reads_every_body_of_the_2007_page_bare_or_wrapped() -> None:
    comments = _old_page_comments()
    assert len(comments) == 25
    assert all(comment.body_text and comment.body_html for comment in comments)
    assert max(comment.depth for comment in comments) == 6
    assert fixture_page(OLD_PAGE).warnings == []


def test_it_never_leaks_furniture_or_replies_into_a_2007_body() -> None:
    comments = _old_page_comments()
    by_id = {comment.lwn_id: comment for comment in comments}
    for comment in comments:
        assert_no_chrome(comment.body_text, extra=("Posted", "[Link]", "Comments RSS"))
        for tag in ("<form", "<input", 'class="CommentPoster"', 'class="CommentBox"'):
            assert tag not in comment.body_html
        if comment.parent_id is not None:
            # A parent's body holds none of its replies' words.
            assert comment.body_text not in by_id[comment.parent_id].body_text


def test_it_keeps_pre_and_blockquote_in_2007_bare_bodies() -> None:
    by_id = {comment.lwn_id: comment for comment in _old_page_comments()}
    assert "<pre>" in by_id[254950].body_html  # bare body, a bare <form> after it
    assert "VmRSS:      5120 kB\nVmData:     3904 kB" in by_id[254950].body_text
    assert "<blockquote>The bitmap fonts" in by_id[254903].body_html


@pytest.mark.parametrize(
    ("lwn_id", "author", "role", "wrapped"),
    [
        (254918, "corbet", "editor", False),
        (254905, "kdrexler", "guest", False),
        (254930, "rhalvorsen", "subscriber", True),
    ],
)
def test_it_reads_2007_posters_in_both_forms(
    lwn_id: int, author: str, role: str, wrapped: bool
) -> None:
    comment = next(c for c in _old_page_comments() if c.lwn_id == lwn_id)
    assert (comment.author, comment.role) == (author, role)
    assert comment.body_html.startswith("<p>") is wrapped
