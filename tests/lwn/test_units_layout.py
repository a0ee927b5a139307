"""Layout and page-kind detection, and what is not an LWN page."""

from __future__ import annotations

import pytest

from articles.lwn import LWNParseError, parse_page
from tests.lwn.pagebuilder import LayoutName, edition_bytes, feature, page_bytes

ARTICLE = '<div class="FeatureByline">By <b>Jake Edge</b><br>June 10, 2020</div><p>Hello.</p>'


@pytest.mark.parametrize("layout", ["table", "grid", "modern"])
def test_it_detects_each_layout(layout: LayoutName) -> None:
    page = parse_page(page_bytes(ARTICLE, layout=layout))
    assert page.layout == layout
    assert page.warnings == []
    assert page.items[0].body_text == "Hello."


def test_it_calls_a_page_with_details_comments_modern() -> None:
    body = ARTICLE + (
        '<details class="CommentBox"><summary><h3 class="CommentTitle">t</h3>'
        '<div class="CommentPoster">Posted Dec 10, 2025 4:25 UTC (Wed) by <b>a</b> '
        '[<a href="/Articles/9/">Link</a>]</div></summary>'
        '<div class="FormattedComment">c</div></details>'
    )
    page = parse_page(page_bytes(body, layout="grid"))
    assert page.layout == "modern"
    assert [c.lwn_id for c in page.comments] == [9]
    assert page.items[0].body_text == "Hello."


def test_it_warns_when_the_layout_is_unknown() -> None:
    html = (
        "<html><head><title>Bare [LWN.net]</title></head><body>"
        '<div class="PageHeadline"><h1>Bare</h1></div><div class="ArticleText"><p>x</p></div>'
        "</body></html>"
    )
    page = parse_page(html.encode())
    assert page.layout == "table"
    assert [w.code for w in page.warnings] == ["layout-unknown"]


def test_it_detects_an_edition_by_title() -> None:
    page = parse_page(edition_bytes(feature(1, "One")))
    assert page.page_kind == "edition"


def test_it_detects_an_edition_by_section_headings() -> None:
    body = '<p class="Cat1HL">Security</p>' + feature(1, "One")
    assert parse_page(page_bytes(body, title="Security")).page_kind == "edition"


def test_it_treats_a_welcome_article_page_as_an_article() -> None:
    title = "Welcome to the LWN.net Weekly Edition for June 11, 2020"
    assert parse_page(page_bytes("<p>Hi</p>", title=title)).page_kind == "article"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"<html><head><title>Example Domain</title></head><body><p>x</p></body></html>",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b'{"json": true}',
    ],
)
def test_it_rejects_pages_that_are_not_lwn(data: bytes) -> None:
    with pytest.raises(LWNParseError, match="not an LWN page"):
        parse_page(data)


def test_it_rejects_an_lwn_page_without_article_text() -> None:
    data = b"<html><head><title>Oops [LWN.net]</title></head><body></body></html>"
    with pytest.raises(LWNParseError, match="no ArticleText"):
        parse_page(data)


def test_it_rejects_non_bytes_input() -> None:
    with pytest.raises(LWNParseError, match="expected bytes"):
        parse_page("<html></html>")  # type: ignore[arg-type]


def test_it_gives_one_line_error_messages() -> None:
    with pytest.raises(LWNParseError) as info:
        parse_page(b"<html><head><title>a\nb\nc</title></head></html>")
    assert "\n" not in str(info.value)


def test_it_prefers_the_url_id() -> None:
    page = parse_page(page_bytes(ARTICLE), url="https://lwn.net/Articles/4242/")
    assert page.lwn_id == 4242
    assert page.items[0].lwn_id == 4242
    assert page.items[0].url == "https://lwn.net/Articles/4242/"


def test_it_reads_the_edition_id_from_a_bigpage_url() -> None:
    page = parse_page(
        edition_bytes(feature(1, "One")), url="https://lwn.net/Articles/822335/bigpage"
    )
    assert page.lwn_id == 822335


def test_it_reads_the_edition_id_from_the_canonical_link() -> None:
    data = page_bytes(
        feature(1, "One"),
        title="LWN.net Weekly Edition for June 11, 2020",
        head_extra='<link rel="canonical" href="https://lwn.net/Articles/822335/bigpage">\n',
    )
    assert parse_page(data).lwn_id == 822335


def test_it_reads_the_edition_id_from_the_current_sidebar_link() -> None:
    data = page_bytes(
        feature(1, "One"),
        title="LWN.net Weekly Edition for March 26, 2015",
        layout="table",
        sidebar=(
            '<div class="SideBox"><a class="Current" href="/Articles/637393/">Front page</a></div>'
        ),
    )
    page = parse_page(data)
    assert page.lwn_id == 637393
    assert page.date is not None
    assert page.date.isoformat() == "2015-03-26"
