"""The lwn.net home page: recognising it and reading its headline items."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from articles.lwn import FrontPageItem, ParsedPage, parse_page, to_json_dict
from tests.lwn.conftest import CHROME_STRINGS, FIXTURES_DIR, fixture_page, squash
from tests.lwn.pagebuilder import LayoutName, page_bytes

FRONT_PAGES = sorted(path.name for path in FIXTURES_DIR.glob("frontpage-*.html"))
OLDER_FIXTURES = sorted(
    path.name
    for path in FIXTURES_DIR.glob("*.html")
    if not path.name.startswith(("frontpage-", "other-"))
)
# What the details and link lines say and the page around the items; none of it
# belongs in a blurb. A weekly edition's teaser does list "Inside this week's …".
NOT_IN_BLURBS = (
    *(text for text in CHROME_STRINGS if text != "Inside this week"),
    *("Posted ", "Full Story", "comments:", "posted)", "Read more", "Read the full"),
    *("Advertisement", "cookies", "reader-supported", "paid for by its readers"),
)


def front(body: str, *, layout: LayoutName = "grid", url: str | None = None) -> ParsedPage:
    data = page_bytes(body, title="Welcome to LWN.net", layout=layout)
    return parse_page(data, url=url)


def item(
    lwn_id: int,
    title: str,
    *,
    details: str = "[Kernel] Posted Mar 11, 2026 16:20 UTC (Wed) by <b>corbet</b>",
    blurb: str = "<p>A blurb of our own.</p>",
    link: str | None = None,
) -> str:
    own = (
        f'<p><a href="/Articles/{lwn_id}/">Full Story</a> (comments: 3)</p>'
        if link is None
        else link
    )
    return (
        f'<h2 class="Headline"><a href="/Articles/{lwn_id}/">{title}</a></h2>\n'
        f'<div class="BlurbListing">\n<div class="FeatureByline">{details}</div>\n'
        f"{blurb}\n{own}\n</div>\n"
    )


def matches(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """The corpus expectation rules (partial dicts, "~" contains, "#" length)."""
    if isinstance(expected, dict):
        problems: list[str] = []
        for key, want in expected.items():
            if key.startswith("_"):
                continue
            if key.endswith("~"):
                got = actual.get(key[:-1])
                for needle in [want] if isinstance(want, str) else want:
                    if not isinstance(got, str) or needle not in got:
                        problems.append(f"{where}.{key[:-1]} lacks {needle!r}")
            elif key.endswith("#"):
                if len(actual.get(key[:-1]) or []) != want:
                    problems.append(f"{where}.{key}: length differs")
            elif key not in actual:
                problems.append(f"{where}.{key} missing")
            else:
                problems += matches(want, actual[key], f"{where}.{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: {len(expected)} elements expected"]
        return [
            p
            for n, pair in enumerate(zip(expected, actual, strict=True))
            for p in matches(*pair, f"{where}[{n}]")
        ]
    return [] if expected == actual else [f"{where}: {expected!r} != {actual!r}"]


@pytest.mark.parametrize("name", FRONT_PAGES)
def test_it_parses_each_front_page_fixture_as_its_expectation_says(name: str) -> None:
    path = FIXTURES_DIR / name
    expected = json.loads(path.with_name(name.removesuffix(".html") + ".expected.json").read_text())
    page = parse_page(path.read_bytes(), url=expected.get("_url"))
    assert matches(expected, to_json_dict(page)) == []


@pytest.mark.parametrize("name", FRONT_PAGES)
def test_it_keeps_the_lines_around_a_blurb_and_the_chrome_out_of_it(name: str) -> None:
    page = fixture_page(name)
    assert len(page.headlines) == 20
    for headline in page.headlines:
        leaked = [text for text in NOT_IN_BLURBS if text in squash(headline.blurb_text)]
        assert leaked == [], f"{leaked} in headline {headline.position}"
        assert "Full Story" not in headline.blurb_html
        assert headline.blurb_text


def test_it_reads_an_item_field_by_field() -> None:
    page = front(item(1060990, "[$] The second half of the 7.0 merge window"))
    assert page.page_kind == "frontpage"
    assert page.lwn_id is None
    assert page.title == "Welcome to LWN.net"
    assert page.headlines == [
        FrontPageItem(
            lwn_id=1060990,
            title="The second half of the 7.0 merge window",
            kind="brief",
            subscriber_only=True,
            section="Kernel",
            poster="Jonathan Corbet",
            posted_at=dt.datetime(2026, 3, 11, 16, 20, tzinfo=dt.UTC),
            comment_count=3,
            blurb_html="<p>A blurb of our own.</p>",
            blurb_text="A blurb of our own.",
            position=0,
        )
    ]
    assert page.warnings == []


@pytest.mark.parametrize(
    ("link", "kind", "count"),
    [
        ('<a href="/Articles/5/">Full Story</a> (comments: none)', "brief", 0),
        ('<p><a href="/Articles/5/">Full Story</a> (comments: 12)</p>', "brief", 12),
        ('<p><a href="/Articles/5/#Comments">Comments (4 posted)</a></p>', "feature", 4),
        ('<p><a href="/Articles/5/#Comments">Comments (none posted)</a></p>', "feature", 0),
        ('<a href="/Articles/5/">Read more</a>', "feature", None),
        ('<p><a href="/Articles/5/">Read the full article</a></p>', "feature", None),
        ("", "brief", None),
    ],
)
def test_it_reads_every_form_of_the_link_line(link: str, kind: str, count: int | None) -> None:
    page = front(item(5, "An item", link=link))
    (headline,) = page.headlines
    assert (headline.lwn_id, headline.kind, headline.comment_count) == (5, kind, count)
    assert headline.blurb_text == "A blurb of our own."


def test_it_takes_the_id_from_the_link_to_the_items_own_page() -> None:
    link = (
        '<p><a href="/Articles/700/">Full Story</a> | '
        '<a href="/Articles/701/#Comments">Comments (2 posted)</a></p>'
    )
    page = front(item(699, "Moved", link=link).replace('href="/Articles/699/"', 'href="/x/"'))
    assert [(h.lwn_id, h.comment_count) for h in page.headlines] == [(701, 2)]


def test_it_falls_back_to_the_headline_link_when_there_is_no_link_line() -> None:
    page = front(item(42, "Quotes of the week", link=""))
    assert [h.lwn_id for h in page.headlines] == [42]


def test_it_keeps_link_words_that_are_not_links() -> None:
    blurb = "<p>Details follow.</p><p>Read more</p>"
    page = front(item(42, "Teaser", blurb=blurb, link=""))
    assert page.headlines[0].blurb_text == "Details follow.\n\nRead more"


def test_it_skips_an_item_with_no_id_and_warns() -> None:
    body = item(1, "First") + (
        '<h2 class="Headline">Nowhere</h2>\n'
        '<div class="BlurbListing"><p>No link at all.</p></div>\n'
    )
    page = front(body)
    assert [h.title for h in page.headlines] == ["First"]
    assert [(w.code, w.where) for w in page.warnings] == [("frontpage-item-no-id", "headline 1")]


def test_it_warns_when_the_home_page_has_no_items() -> None:
    page = front("<p>Nothing to see today.</p>")
    assert page.page_kind == "frontpage"
    assert page.headlines == []
    assert [w.code for w in page.warnings] == ["frontpage-no-items"]


def test_it_reads_a_details_line_without_section_or_time() -> None:
    page = front(item(7, "Undated", details="Posted by <b>someone</b>"))
    assert page.headlines[0].section is None
    assert page.headlines[0].posted_at is None
    page = front(item(7, "Dated", details="Posted Sep 2, 2010 0:12 UTC (Thu) by <b>newlogin</b>"))
    assert (page.headlines[0].section, page.headlines[0].poster) == (None, "newlogin")
    assert page.headlines[0].posted_at == dt.datetime(2010, 9, 2, 0, 12, tzinfo=dt.UTC)


def test_it_reads_a_bare_details_line_that_ends_at_a_line_break() -> None:
    body = (
        '<h2 class="Headline"><a href="/Articles/9/">Bare</a></h2>\n<div class="BlurbListing">'
        "<b>[Security]</b> Posted May 27, 2021 13:52 UTC (Thu) by <b>jake</b><br>\n"
        "<p>Packages.</p>\n"
        '<a href="/Articles/9/">Full Story</a> (comments: 1)</div>'
    )
    (headline,) = front(body).headlines
    assert (headline.section, headline.poster, headline.comment_count) == (
        "Security",
        "Jake Edge",
        1,
    )
    assert headline.blurb_text == "Packages."


def test_it_continues_after_a_wrapper_that_holds_only_the_headline() -> None:
    body = (
        '<div class="Title"><h2 class="Headline"><a href="/Articles/11/">Wrapped</a></h2></div>\n'
        '<div class="BlurbListing"><div class="FeatureByline">[Kernel] Posted Mar 1, 2026 '
        "9:00 UTC (Sun) by <b>corbet</b></div><p>Inside.</p>"
        '<p><a href="/Articles/11/#Comments">Comments (1 posted)</a></p></div>\n'
    )
    (headline,) = front(body).headlines
    assert (headline.lwn_id, headline.blurb_text, headline.comment_count) == (11, "Inside.", 1)


@pytest.mark.parametrize("layout", ["table", "grid", "modern"])
def test_it_reports_the_layout_of_the_home_page(layout: LayoutName) -> None:
    assert front(item(1, "One"), layout=layout).layout == layout


def test_it_recognises_the_home_page_by_its_address_and_headlines() -> None:
    data = page_bytes(item(1, "One") + item(2, "Two"), title="LWN.net")
    page = parse_page(data, url="https://lwn.net/")
    assert page.page_kind == "frontpage"
    assert [h.position for h in page.headlines] == [0, 1]


def test_an_article_address_wins_over_a_welcome_title() -> None:
    data = page_bytes(
        '<div class="FeatureByline">By <b>A. Writer</b><br>March 1, 2026</div><p>Text.</p>',
        title="Welcome to LWN.net",
    )
    page = parse_page(data, url="https://lwn.net/Articles/1060000/")
    assert page.page_kind == "article"
    assert page.lwn_id == 1060000


@pytest.mark.parametrize("name", OLDER_FIXTURES)
def test_it_does_not_take_other_fixtures_for_the_home_page(name: str) -> None:
    page = fixture_page(name)
    assert page.page_kind != "frontpage"
    assert page.headlines == []
    assert page.warnings == []
