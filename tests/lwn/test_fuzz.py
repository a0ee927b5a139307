"""Property tests: whatever the bytes, ``parse_page`` returns a page whose
items all have titles, or raises ``LWNParseError`` (and nothing else), fast.

Inputs are a small representative page built here (edition with features,
briefs, a merge window and a security entry; article with both comment
markups) and the fixture pages under ``tests/fixtures/lwn/``, damaged by
truncation, dropped or shuffled lines, spliced garbage, wrong encodings, or
replaced by random bytes. Generated pages cover the era paths: old-markup
comments with bare bodies, pages that name their id only through links to
themselves, home-page-shaped pages, and random LWN-ish soups.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.lwn import LWNParseError, ParsedPage, parse_page, to_json_dict
from tests.lwn.pagebuilder import (
    LayoutName,
    brief,
    edition_bytes,
    feature,
    page_bytes,
    page_html,
)

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "lwn").glob("*.html"))
# The generated-page tests build bigger inputs per example than the damage tests.
FUZZ_PAGES = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MERGE_BODY = (
    "<p>Intro — with Jürgen Dürr.</p><h4>Core kernel</h4><ul><li>New <tt>faccessat2()</tt>.</li>"
    "</ul><h4>Hardware support</h4><ul><li><b>Graphics</b>: Foo panels, Bar (and Baz, Qux) "
    "encoders, and Quux bridges. Also more.</li>"
    "<li><b>Media</b>: A sensors and B decoders,</li></ul>"
)
EDITION = page_bytes(
    '<div class="nag"><b>Please consider subscribing to LWN</b><p>Pay.</p></div>\n'
    '<p class="Cat1HL">Front page</p>\n'
    + feature(100, "Seccomp and deep argument inspection", author="Jake Edge")
    + feature(101, "5.8 Merge window, part 1", body=MERGE_BODY, comments="none posted")
    + '<p class="Cat1HL">Brief items</p>\n<p class="Cat2HL">Security</p>\n'
    + '<h2 class="SummaryHL">kernel: information leak</h2>\n<table class="Vuln"><tr><td>CVE-1'
    + "</td></tr></table>\n"
    + brief(102, "Kernel release status", login="corbet")
    + "<p>\n<b>Page editor</b>: Jonathan Corbet<br>\n</p>\n",
    title="LWN.net Weekly Edition for June 11, 2020",
    head_extra='<link rel="canonical" href="https://lwn.net/Articles/822335/bigpage">\n',
)
_OLD_COMMENT = (
    '<a name="CommAnchor{id}"></a>\n<div class="CommentBox">\n<p class="CommentTitle">T{id}</p>\n'
    '<div class="CommentBody">\n<p class="CommentPoster">Posted Jun 8, 2020 15:12 UTC (Mon) by '
    '<b>user{id}</b> (subscriber, #1)</p>\n<div class="FormattedComment">Body {id}</div>\n'
    "</div>\n</div>\n"
)
_NEW_COMMENT = (
    '<details class="CommentBox" open>\n<summary>\n<h3 class="CommentTitle">N{id}</h3>\n'
    '<div class="CommentPoster">Posted Dec 10, 2025 4:25 UTC (Wed) by <b>n{id}</b> '
    '(✭ supporter ✭, #2) [<a href="/Articles/{id}/">Link</a>]</div>\n</summary>\n'
    '<div class="FormattedComment"><p>Reply {id}</p></div>\n{inner}</details>\n'
)
ARTICLE = page_html(
    '<div class="FeatureByline">\nBy <b>Jonathan Corbet</b><br>June 8, 2020\n</div>\n'
    "<p>Capabilities — Dürr.</p>\n"
    '<p><a href="/Articles/200/#Comments">Comments (4 posted)</a></p>\n'
    '<hr width="60%" align="left">\n(<a href="/Login/?target=/Articles/200/">Log in</a> to post '
    'comments)\n<a name="Comments"></a>\n'
    + _OLD_COMMENT.format(id=201)
    + '<div class="Comment">\n'
    + _OLD_COMMENT.format(id=202)
    + "</div>\n"
    + _NEW_COMMENT.format(id=203, inner=_NEW_COMMENT.format(id=204, inner="")),
    title="A crop of new capabilities",
).encode("utf-8")
PAGES = [EDITION, ARTICLE, *(path.read_bytes() for path in FIXTURES)]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# The pages that can be re-encoded wrongly (the 2008 big page is Latin-1 already).
UTF8_PAGES = [page for page in PAGES if _is_utf8(page)]

FUZZ = settings(
    max_examples=60,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(data: bytes) -> ParsedPage | None:
    """Parse *data*; only LWNParseError may escape, and a page must be sound."""
    try:
        page = parse_page(data)
    except LWNParseError as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        return None
    for item in page.items:
        assert item.title.strip(), f"item without a title: {item!r}"[:200]
    for comment in page.comments:
        assert comment.posted_at.utcoffset() == dt.timedelta(0)
    json.dumps(to_json_dict(page), ensure_ascii=False)
    return page


def test_it_parses_the_representative_pages_cleanly() -> None:
    edition = check(EDITION)
    assert edition is not None
    assert edition.warnings == []
    assert [i.title for i in edition.items] == [
        "Seccomp and deep argument inspection",
        "5.8 Merge window, part 1",
        "kernel: information leak",
        "Kernel release status",
    ]
    article = check(ARTICLE)
    assert article is not None
    assert article.warnings == []
    assert [c.lwn_id for c in article.comments] == [201, 202, 203, 204]


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data())
def test_it_survives_truncation(page: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(page)), label="cut")
    check(page[:cut])


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data())
def test_it_survives_dropped_lines(page: bytes, data: st.DataObject) -> None:
    lines = page.split(b"\n")
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    check(b"\n".join(line for line, kept in zip(lines, keep, strict=True) if kept))


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data())
def test_it_survives_shuffled_lines(page: bytes, data: st.DataObject) -> None:
    lines = page.split(b"\n")
    start = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    end = data.draw(st.integers(min_value=start, max_value=len(lines)))
    middle = data.draw(st.permutations(lines[start:end]))
    check(b"\n".join(lines[:start] + list(middle) + lines[end:]))


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data(), junk=st.binary(min_size=1, max_size=200))
def test_it_survives_spliced_garbage(page: bytes, data: st.DataObject, junk: bytes) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(page)))
    check(page[:at] + junk + page[at:])


@FUZZ
@given(
    page=st.sampled_from(UTF8_PAGES),
    encoding=st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]),
)
def test_it_survives_wrong_encodings(page: bytes, encoding: str) -> None:
    text = page.decode("utf-8")
    check(text.encode(encoding, errors="replace"))


def test_it_keeps_names_through_a_latin1_page_that_claims_utf8() -> None:
    page = check(ARTICLE.decode("utf-8").encode("latin-1", errors="replace"))
    assert page is not None
    assert "bytes-undecodable" in [warning.code for warning in page.warnings]
    assert "D\ufffdrr" in page.items[0].body_text


@FUZZ
@given(data=st.binary(max_size=4096))
def test_it_survives_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(
    prefix=st.binary(max_size=64),
    tags=st.lists(
        st.sampled_from(
            [
                b"<div>",
                b"</div>",
                b'<h2 class="SummaryHL">',
                b"</h2>",
                b'<p class="Cat1HL">',
                b'<div class="ArticleText">',
                b'<details class="CommentBox">',
                b"<main>",
                b"<li>",
                b'<div class="FeatureByline">',
                b"Jun 5, 2020 18:04 UTC",
                b"x",
                b"<br>",
                b"<pre>",
            ]
        ),
        max_size=300,
    ),
)
def test_it_survives_random_lwn_like_tag_soup(prefix: bytes, tags: list[bytes]) -> None:
    check(b"<title>Soup [LWN.net]</title>" + prefix + b"".join(tags))


# --- old-markup comments whose bodies sit bare inside div.CommentBody -----------------

_BARE_COMMENT = (
    '<a name="CommAnchor{id}"></a>\n<div class="CommentBox">\n'
    '<p class="CommentTitle">Title {id}</p>\n<div class="CommentBody">\n'
    '<p class="CommentPoster">Posted Oct 18, 2007 13:33 UTC (Thu) by <b>poster{id}</b> '
    '({role}, #{id}) [<a href="/Articles/{id}/">Link</a>]</p>\n{body}\n'
    '<div class="CommentReplyButton"><form action="/Articles/{id}/comment" method="post">'
    '<input type="submit" value="Reply to this comment"></form></div>\n</div>\n</div>\n'
)
# How a 2007 body's words may be wrapped; "{}" is the words.
_BODY_SHAPES = [
    "{}",
    "<p>{}</p>",
    "{}<br>\n",
    "<i>{}</i>",
    "<pre>{}</pre>",
    "<blockquote>{}</blockquote>",
    '<a href="https://example.org/">{}</a>',
]
_WORDS = st.lists(st.from_regex(r"[a-z]{4,9}", fullmatch=True), min_size=1, max_size=6)


@st.composite
def bare_comment_threads(draw: st.DrawFn) -> tuple[bytes, dict[int, list[str]]]:
    """An article with old-markup comments (some replies in a sibling ``div.Comment``)
    whose bodies are bare text and inline elements; and each comment's words."""
    count = draw(st.integers(min_value=1, max_value=5))
    words: dict[int, list[str]] = {}
    html = ""
    for n in range(count):
        lwn_id = 254_900 + n
        # A suffix of the comment's own makes its words findable in no other body.
        chunks = [
            [f"{word}q{n}" for word in chunk]
            for chunk in draw(st.lists(_WORDS, min_size=1, max_size=3))
        ]
        parts = [draw(st.sampled_from(_BODY_SHAPES)).format(" ".join(c)) for c in chunks]
        if draw(st.booleans()):  # a few comments on the same page are wrapped, whole
            parts = ['<div class="FormattedComment">' + "\n".join(parts) + "</div>"]
        words[lwn_id] = [token for chunk in chunks for token in chunk]
        role = draw(st.sampled_from(["subscriber", "guest", "editor"]))
        box = _BARE_COMMENT.format(id=lwn_id, role=role, body="\n".join(parts))
        html += f'<div class="Comment">\n{box}</div>\n' if n and draw(st.booleans()) else box
    body = (
        '<div class="FeatureByline">\nBy <b>Jonathan Corbet</b><br>October 17, 2007\n</div>\n'
        '<p>The article text.</p>\n<hr width="60%" align="left">\n'
        '(<a href="/login?target=/Articles/250967/">Log in</a> to post comments)\n'
        '<a name="Comments"></a>\n' + html
    )
    return page_bytes(body, title="Memory part 4", layout="table"), words


@FUZZ_PAGES
@given(thread=bare_comment_threads())
def test_it_reads_bare_old_comment_bodies_without_their_chrome(
    thread: tuple[bytes, dict[int, list[str]]],
) -> None:
    data, words = thread
    page = check(data)
    assert page is not None
    bodies = {comment.lwn_id: comment.body_text for comment in page.comments}
    assert sorted(bodies) == sorted(words)
    for lwn_id, body in bodies.items():
        for chrome in ("Posted Oct", f"poster{lwn_id}", "Reply to this comment", "[Link]"):
            assert chrome not in body, body
        for token in words[lwn_id]:
            assert token in body, (lwn_id, token, body)
        others = [t for other, tokens in words.items() if other != lwn_id for t in tokens]
        assert not [t for t in others if t in body], body  # no reply swallowed


# --- pages that name themselves only through links to themselves ----------------------

_SELF_LINKS = {
    "printable": '<a href="/Articles/{id}/?format=printable">Printable page</a>',
    "feed": '<a href="/headlines/{id}/">Comments RSS feed</a>',
    "feed-head": '<link rel="alternate" type="application/rss+xml" href="/headlines/{id}/">',
    "login": '(<a href="https://lwn.net/login?target=/Articles/{id}/">Log in</a> to post comments)',
    "login-new": '(<a href="/Login/?target=/Articles/{id}/">Log in</a> to post comments)',
}


@FUZZ_PAGES
@given(
    links=st.lists(
        st.tuples(st.sampled_from(sorted(_SELF_LINKS)), st.integers(100_000, 1_099_999)),
        min_size=1,
        max_size=3,
    ),
    layout=st.sampled_from(["table", "grid", "modern"]),
    related=st.integers(100_000, 1_099_999),
)
def test_it_names_a_page_by_its_links_to_itself(
    links: list[tuple[str, int]], layout: LayoutName, related: int
) -> None:
    """Either the one id those links give, or LWNParseError when two of them differ;
    never the id of a related article or a comment the page links to."""
    head = "".join(_SELF_LINKS[form].format(id=i) for form, i in links if form == "feed-head")
    inline = "\n".join(_SELF_LINKS[form].format(id=i) for form, i in links if form != "feed-head")
    body = (
        '<div class="FeatureByline">\nBy <b>Jake Edge</b><br>March 3, 2021\n</div>\n'
        f'<p>See also <a href="/Articles/{related}/">an earlier article</a>.</p>\n{inline}\n'
    )
    data = page_bytes(body, title="An article", layout=layout, head_extra=head)
    ids = {lwn_id for _, lwn_id in links}
    try:
        page = parse_page(data)
    except LWNParseError:
        assert len(ids) > 1, "refused a page whose self-links agree"
        return
    if len(ids) == 1:
        assert page.lwn_id in ids
    else:
        assert page.lwn_id in ids, "two self-links differ, yet the page took another id"


# --- home-page-shaped pages -------------------------------------------------------------

_SECTIONS = ["Kernel", "Security", "Distributions", "Development", "Front", "Briefs"]
_FOLLOW = [
    "Full Story (comments: {n})",
    "Comments ({n} posted)",
    "Comments (none posted)",
    "Read more",
    "Read the full article",
]


@st.composite
def home_pages(draw: st.DrawFn) -> bytes:
    """The lwn.net home page: ``h2.Headline`` (or ``div.Headline``) items with "[$]"
    titles, "[Section] Posted … by …" lines, blurbs and a link to each item's page."""
    items = []
    for n in range(draw(st.integers(min_value=0, max_value=6))):
        lwn_id = draw(st.one_of(st.none(), st.integers(1, 1_099_999)))
        tag = draw(st.sampled_from(["h2", "div"]))
        paid = "[$] " if draw(st.booleans()) else ""
        title = f"{paid}Headline {n}"
        href = f"/Articles/{lwn_id}/" if lwn_id is not None else "/Kernel/"
        heading = (
            f'<{tag} class="Headline"><a href="{href}">{title}</a></{tag}>'
            if draw(st.booleans())
            else f'<{tag} class="Headline">{title}</{tag}>'
        )
        posted = draw(
            st.sampled_from(
                [
                    "[{s}] Posted Feb 24, 2026 21:04 UTC (Tue) by corbet",
                    "Posted Feb 24, 2026 21:04 UTC (Tue) by {s}",
                    "[{s}] Posted by jake",
                    "[{s}] Posted Feb 31, 2026 99:99 UTC (Xyz) by",
                    "",
                ]
            )
        ).format(s=draw(st.sampled_from(_SECTIONS)))
        follow = draw(st.sampled_from(_FOLLOW)).format(n=draw(st.integers(0, 500)))
        link = f'<a href="{href}">{follow}</a>' if draw(st.booleans()) else follow
        items.append(
            f'<div class="pure-u-1">{heading}<div class="BlurbListing">'
            f'<div class="FeatureByline">{posted}</div><p>Blurb {n}.</p>'
            f"<p>{link}</p></div></div>\n"
        )
    body = "".join(items)
    layout = draw(st.sampled_from(["grid", "modern"]))
    return page_bytes(body, title="Welcome to LWN.net", layout=layout)


@FUZZ_PAGES
@given(data=home_pages())
def test_it_survives_home_page_shaped_pages(data: bytes) -> None:
    page = check(data)
    if page is not None:
        for headline in page.headlines:
            assert headline.title.strip()


# --- random LWN-ish pages ---------------------------------------------------------------

_PIECES = [
    '<p class="Cat1HL">Front page</p>',
    '<p class="Cat2HL">Brief items</p>',
    '<p class="SummaryHL"><a href="/Articles/12345/">Old title</a></p>',
    '<h2 class="SummaryHL"><a href="/Articles/22345/">Title</a></h2>',
    '<h3 class="SummaryHL">No link</h3>',
    '<div class="FeatureByline">By <b>Jonathan Corbet</b><br>June 10, 2020</div>',
    '<div class="GAByline"><p>May 1, 2019</p><p>This article was contributed by A and B</p></div>',
    '<div class="Byline">[Posted December 10, 2025 by daroc]</div>',
    '<p><a href="/Articles/22345/#Comments">Comments (5 posted)</a></p>',
    "Full Story (comments: 2)",
    '<div class="BigQuote"><p>February 24, 2026</p>quoted</div>',
    '<a name="CommAnchor300"></a><div class="CommentBox"><p class="CommentTitle">T</p>'
    '<div class="CommentBody"><p class="CommentPoster">Posted Oct 18, 2007 13:33 UTC (Thu) '
    "by <b>u</b> (guest, #3)</p>bare body</div></div>",
    '<div class="Comment">',
    "</div>",
    '<details class="CommentBox"><summary><h3 class="CommentTitle">N</h3>'
    '<div class="CommentPoster">Posted Dec 10, 2025 4:25 UTC (Wed) by <b>k</b>'
    " (editor, #1)</div></summary>",
    "</details>",
    "<!-- offer -->The page you have tried to view is currently available to LWN "
    "subscribers only. (Alternatively, this item will become freely available on "
    "April 4, 2019)",
    '<a href="/Articles/777/?format=printable">Printable page</a>',
    '<a href="/headlines/778/">feed</a>',
    '<a href="/login?target=/Articles/779/">Log in</a>',
    '<h2 class="Headline"><a href="/Articles/780/">[$] Paid</a></h2>',
    "<p><b>Page editor</b>: Jonathan Corbet</p>",
    "<pre>  x = 1\n</pre>",
    "Jürgen — ½",
    "<main>",
    "</main>",
]


@FUZZ_PAGES
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=40),
    title=st.sampled_from(
        [
            "Welcome to LWN.net",
            "LWN.net Weekly Edition for July 3, 2008",
            "Subscription required",
            "Brief items",
            "Some article",
        ]
    ),
    layout=st.sampled_from(["table", "grid", "modern"]),
    charset=st.sampled_from(["utf-8", "iso-8859-1"]),
)
def test_it_survives_random_lwn_ish_pages(
    pieces: list[str], title: str, layout: LayoutName, charset: str
) -> None:
    html = page_html("\n".join(pieces), title=title, layout=layout, charset=charset)
    check(html.encode(charset, errors="replace"))


def test_it_parses_deep_but_closed_nesting() -> None:
    depth = 900
    body = "<div>" * depth + '<h2 class="SummaryHL">Deep</h2><p>x</p>' + "</div>" * depth
    page = check(edition_bytes(body))
    assert page is not None
    assert [item.title for item in page.items] == ["Deep"]


def test_it_refuses_runaway_unclosed_nesting_quickly() -> None:
    body = '<div><h2 class="SummaryHL">T</h2><b>x</b>y' * 20_000
    start = time.perf_counter()
    with pytest.raises(LWNParseError, match="unclosed <div>"):
        parse_page(edition_bytes(body))
    assert time.perf_counter() - start < 5


@pytest.mark.slow
def test_it_parses_a_5_mb_page_in_bounded_time() -> None:
    body = feature(1, "5.8 Merge window, part 1", body=MERGE_BODY) + "".join(
        feature(1000 + n, f"Item {n}", body="<p>" + "Lorem ipsum dolor sit amet. " * 60 + "</p>")
        for n in range(2700)
    )
    data = edition_bytes(body)
    assert len(data) >= 5_000_000
    start = time.perf_counter()
    page = check(data)
    elapsed = time.perf_counter() - start
    assert page is not None
    assert len(page.items) == 2701
    # Generous: about 2 s on a developer machine; the bound only catches hangs
    # and accidental quadratic work.
    assert elapsed < 90, f"5 MB page took {elapsed:.1f} s"
