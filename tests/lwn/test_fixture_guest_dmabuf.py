"""Field-by-field tests for a guest article page (GAByline, nag box, no comments)."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.lwn.types import ParsedItem, ParsedPage
from tests.lwn.conftest import assert_contains_all, assert_no_chrome, fixture_page, squash

NAME = "article-guest-dmabuf.html"
TITLE = "DMA-BUF cache handling: Off the DMA API map (part 1)"


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return fixture_page(NAME)


@pytest.fixture(scope="module")
def article(page: ParsedPage) -> ParsedItem:
    assert len(page.items) == 1
    return page.items[0]


def test_it_reads_the_page_header(page: ParsedPage) -> None:
    assert page.page_kind == "article"
    assert page.lwn_id == 822052
    assert page.title == TITLE
    assert page.date == dt.date(2020, 6, 4)
    assert page.free_on is None
    assert page.layout == "grid"


def test_it_finds_no_comments(page: ParsedPage) -> None:
    assert page.comments == []


def test_it_reads_the_guest_item_field_by_field(article: ParsedItem) -> None:
    assert article.lwn_id == 822052
    assert article.title == TITLE
    assert article.kind == "guest"
    assert article.section is None
    assert article.authors == ["John Stultz"]
    assert article.date == dt.date(2020, 6, 4)
    assert article.url == "https://lwn.net/Articles/822052/"
    assert article.merge_window is None
    assert article.hardware == []
    # No comment link and no comment boxes: "unknown" and "none" are both honest.
    assert article.comment_count in (None, 0)


def test_it_starts_the_body_after_the_byline_and_the_nag_box(article: ParsedItem) -> None:
    body = squash(article.body_text)
    assert body.startswith("The 5.6 kernel gained the DMA-BUF heaps interface")


def test_it_keeps_key_facts_in_the_body(article: ParsedItem) -> None:
    assert_contains_all(
        article.body_text,
        [
            "DMA-BUF heaps",
            "ION",
            "image signal processor (ISP)",
            "The DMA API",
            "DMA-BUFs",
            "dma_map_single()",
            "dma_buf_attach()",
            "dma_buf_map_attachment()",
            "dma_buf_unmap_attachment()",
            "dma_buf_detach()",
            "dma_map_sg()",
            "4.12",
            "4.9",
            "4.14",
            "—",
        ],
    )


def test_it_strips_the_nag_box_byline_and_login_chrome(article: ParsedItem) -> None:
    assert_no_chrome(
        article.body_text,
        extra=[
            "This article was contributed by",
            "lifeblood",
            "readers pay for it",
            "subscription page",
            "June 4, 2020",
        ],
    )
