"""Field-by-field tests for a 2024+ article: <main> body and nested <details> comments."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.lwn.types import ParsedItem, ParsedPage
from tests.lwn.conftest import (
    assert_contains_all,
    assert_no_chrome,
    comment_by_id,
    fixture_page,
    squash,
)

NAME = "article-2024-details-comments.html"
TITLE = "Guard regions for file-backed mappings"


def _at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2025, 1, 23, hour, minute, tzinfo=dt.UTC)


# lwn_id, parent_id, depth, title, author, role, posted_at — in page order.
COMMENTS: list[tuple[int, int | None, int, str, str, str, dt.datetime]] = [
    (1006210, None, 0, "Cheaper than PROT_NONE", "mpadlock", "supporter", _at(4, 25)),
    (1006214, 1006210, 1, "Cheaper than PROT_NONE", "vbhat", "subscriber", _at(8, 2)),
    (1006231, 1006214, 2, "Visibility", "mpadlock", "supporter", _at(9, 47)),
    (1006245, 1006231, 3, "Visibility", "corbet", "editor", _at(14, 30)),
    (1006218, 1006210, 1, "Cheaper than PROT_NONE", "anonreader", "guest", _at(10, 15)),
    (1006260, None, 0, "Allocator usage", "rdiez", "subscriber", _at(17, 5)),
]

MODERN_CHROME = (
    "Index entries for this article",
    "Memory management/Guard pages",
    "cookies",
    "Privacy policy",
    "Accept",
    "Deny",
)


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return fixture_page(NAME)


@pytest.fixture(scope="module")
def article(page: ParsedPage) -> ParsedItem:
    assert len(page.items) == 1
    return page.items[0]


def test_it_reads_the_page_header(page: ParsedPage) -> None:
    assert page.page_kind == "article"
    assert page.lwn_id == 1006127
    assert page.title == TITLE
    assert page.date == dt.date(2025, 1, 22)
    assert page.free_on is None
    assert page.layout == "modern"


def test_it_reads_the_article_item_field_by_field(article: ParsedItem) -> None:
    assert article.lwn_id == 1006127
    assert article.title == TITLE
    assert article.kind == "feature"
    assert article.section is None
    assert article.authors == ["Jonathan Corbet"]
    assert article.date == dt.date(2025, 1, 22)
    assert article.url == "https://lwn.net/Articles/1006127/"
    assert article.merge_window is None
    assert article.hardware == []


def test_it_counts_the_comments_on_the_page(page: ParsedPage, article: ParsedItem) -> None:
    """No "Comments (N posted)" link here, so the count is the thread's size."""
    assert len(page.comments) == 6
    assert article.comment_count == 6


def test_it_reads_the_body_inside_main(article: ParsedItem) -> None:
    body = squash(article.body_text)
    assert body.startswith("Guard pages — inaccessible pages")
    assert_contains_all(
        body,
        [
            "MADV_GUARD_INSTALL",
            "MADV_GUARD_REMOVE",
            "PROT_NONE",
            "Lorenzo Stoakes",
            "6.13",
            "How guard regions work",
            "Extending to files",
            "userfaultfd",
        ],
    )


def test_it_keeps_index_entries_consent_banner_and_comments_out_of_the_body(
    article: ParsedItem,
) -> None:
    assert_no_chrome(
        article.body_text,
        extra=[
            *MODERN_CHROME,
            "By Jonathan Corbet",
            "Cheaper than PROT_NONE",
            "mpadlock",
            "Posted Jan",
            "responses",
        ],
    )


def test_it_finds_every_comment_with_ids_parents_and_depths(page: ParsedPage) -> None:
    got = [(c.lwn_id, c.parent_id, c.depth) for c in page.comments]
    assert got == [(row[0], row[1], row[2]) for row in COMMENTS]


@pytest.mark.parametrize(
    ("lwn_id", "parent_id", "depth", "title", "author", "role", "posted_at"),
    COMMENTS,
    ids=[str(row[0]) for row in COMMENTS],
)
def test_it_reads_each_comment_field_by_field(
    page: ParsedPage,
    lwn_id: int,
    parent_id: int | None,
    depth: int,
    title: str,
    author: str,
    role: str,
    posted_at: dt.datetime,
) -> None:
    comment = comment_by_id(page, lwn_id)
    assert comment.parent_id == parent_id
    assert comment.depth == depth
    assert comment.title == title
    assert comment.author == author
    assert comment.role == role
    assert comment.posted_at == posted_at
    assert comment.posted_at.utcoffset() == dt.timedelta(0)


def test_it_keeps_a_reply_title_that_repeats_its_parent(page: ParsedPage) -> None:
    parent, reply = comment_by_id(page, 1006210), comment_by_id(page, 1006214)
    assert reply.title == parent.title == "Cheaper than PROT_NONE"


def test_it_keeps_each_comment_body_apart_from_its_replies(page: ParsedPage) -> None:
    top = comment_by_id(page, 1006210).body_text
    assert_contains_all(top, ["thousands of VMAs", "single VMA"])
    assert "/proc/pid/maps" not in top  # that is the reply's text
    assert "pagemap bit" not in comment_by_id(page, 1006231).body_text
    assert_contains_all(comment_by_id(page, 1006245).body_text, ["pagemap bit"])


def test_it_keeps_poster_lines_and_buttons_out_of_comment_bodies(page: ParsedPage) -> None:
    for comment in page.comments:
        assert_no_chrome(
            comment.body_text,
            extra=[*MODERN_CHROME, "Posted Jan", "response", "supporter", "[Link]"],
        )
        assert not squash(comment.body_text).startswith(comment.title)


def test_it_keeps_a_plain_text_comment_with_its_lines(page: ParsedPage) -> None:
    body = comment_by_id(page, 1006260).body_text
    assert_contains_all(body, ["madvise(p, pg, MADV_GUARD_INSTALL);", "MAP_ANONYMOUS, -1, 0);"])
    assert "MADV_GUARD_INSTALL);\n    madvise(p + pg + len" in body
