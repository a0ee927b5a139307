"""LWN pages that are not articles are refused with a reason naming them;
unknown shapes are flagged."""

from __future__ import annotations

import json

import pytest

from articles.lwn import LWNParseError, parse_page
from tests.lwn.conftest import FIXTURES_DIR
from tests.lwn.pagebuilder import page_bytes

OTHER_PAGES = sorted(path.name for path in FIXTURES_DIR.glob("other-*.html"))
ARTICLE = '<div class="FeatureByline">By <b>A. Writer</b><br>March 1, 2026</div><p>Text.</p>'
LISTING = "".join(f'<p><a href="/Articles/{n}/">Item {n}</a></p>' for n in range(100, 106))


def refusal(data: bytes, url: str | None = None) -> str:
    with pytest.raises(LWNParseError) as caught:
        parse_page(data, url=url)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("name", OTHER_PAGES)
def test_it_refuses_each_other_page_fixture_as_its_expectation_says(name: str) -> None:
    path = FIXTURES_DIR / name
    expected = json.loads(path.with_name(name.removesuffix(".html") + ".expected.json").read_text())
    message = refusal(path.read_bytes(), expected.get("_url"))
    assert message.startswith("not an article: this is ")
    assert expected["_refused"] in message


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://lwn.net/Search/DoSearch?words=bpf", "search results"),
        ("/Search/", "search results"),
        ("https://lwn.net/Kernel/", "kernel section page"),
        ("https://lwn.net/Kernel/Index/", "kernel index"),
        ("https://lwn.net/Archives/GuestIndex/", "guest-author index"),
        ("https://lwn.net/Archives/ConferenceIndex/", "conference index"),
        ("lwn.net/Archives/", "archives index"),
        ("https://lwn.net/MyComments/someone/", "comments posted by one LWN user"),
        ("https://lwn.net/Articles/", "recent features"),
        ("https://lwn.net/Security/", "security section page"),
        ("https://lwn.net/Login/", "login page"),
    ],
)
def test_it_refuses_other_lwn_addresses(url: str, reason: str) -> None:
    assert reason in refusal(page_bytes(ARTICLE, title="Whatever"), url)


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Search results", "search results"),
        ("Kernel index", "kernel index"),
        ("Guest author index", "guest author index"),
        ("Recent features", "recent features"),
        ("Archives", "archives index"),
        ("Comments posted by someone", "comments posted by someone"),
    ],
)
def test_it_names_other_pages_by_their_title_without_an_address(title: str, reason: str) -> None:
    assert reason in refusal(page_bytes("<p>A list.</p>", title=title))


def test_it_refuses_a_page_of_index_entries() -> None:
    body = "".join(
        f'<p class="IndexEntry">Topic {n}</p><p><a href="/Articles/{n}/">T</a> (May 1, 2020)</p>'
        for n in range(1, 5)
    )
    assert "index of articles" in refusal(page_bytes(body, title="Topics"))


def test_it_refuses_a_page_listing_weekly_editions() -> None:
    body = "".join(
        f'<p><a href="/Articles/{n}/">LWN.net Weekly Edition for May {n}, 2020</a></p>'
        for n in range(1, 7)
    )
    assert "weekly editions" in refusal(page_bytes(body, title="Old issues"))


def test_it_keeps_articles_whose_titles_sound_like_other_pages() -> None:
    for title in ("Search engines for code", "Archives of the early days", "Kernel index handling"):
        page = parse_page(page_bytes(ARTICLE, title=title))
        assert page.page_kind == "article"
        assert page.warnings == []


def test_it_keeps_articles_at_article_addresses() -> None:
    page = parse_page(page_bytes(ARTICLE, title="Search"), url="https://lwn.net/Articles/77/")
    assert page.page_kind == "article"
    assert page.lwn_id == 77


def test_it_flags_an_unsigned_page_at_an_lwn_address_it_does_not_know() -> None:
    page = parse_page(
        page_bytes("<p>Frequently asked.</p>", title="FAQ"), url="https://lwn.net/op/FAQ.lwn"
    )
    assert [(w.code, w.where) for w in page.warnings] == [("page-shape-unknown", "page")]


def test_it_flags_an_unsigned_page_that_lists_articles() -> None:
    page = parse_page(page_bytes(LISTING, title="Some list"))
    assert [w.code for w in page.warnings] == ["page-shape-unknown"]


def test_it_does_not_flag_a_signed_article_with_many_links() -> None:
    page = parse_page(page_bytes(ARTICLE + LISTING, title="Links galore"))
    assert page.warnings == []
