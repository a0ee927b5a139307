"""Property tests of the era paths, on generated pages: old-markup comments with bare
bodies, pages that name their id only through links to themselves, home-page-shaped
pages and random LWN-ish soups. Whatever they hold, ``parse_page`` returns a page or
raises ``LWNParseError`` (``check`` in ``test_fuzz.py``), and the bodies and ids come
out right where the markup is sound.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.lwn import LWNParseError, parse_page
from tests.lwn.pagebuilder import LayoutName, page_bytes, page_html
from tests.lwn.test_fuzz import check

# The generated-page tests build bigger inputs per example than the damage tests.
FUZZ_PAGES = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


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
