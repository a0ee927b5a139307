"""A 2024+ article (<main> body, nested <details> comments): what the tables do not cover.

Its header, item, body and comment fields are rows in ``tests/lwn/expected.py``.
"""

from __future__ import annotations

from articles.lwn.types import ParsedItem, ParsedPage
from tests.lwn.conftest import (
    assert_contains_all,
    assert_no_chrome,
    comment_by_id,
    squash,
)
from tests.lwn.expected import DETAILS, DETAILS_TITLE

NAME = DETAILS
TITLE = DETAILS_TITLE

MODERN_CHROME = (
    "Index entries for this article",
    "Memory management/Guard pages",
    "cookies",
    "Privacy policy",
    "Accept",
    "Deny",
)


def test_it_counts_the_comments_on_the_page(page: ParsedPage, article: ParsedItem) -> None:
    """No "Comments (N posted)" link here, so the count is the thread's size."""
    assert len(page.comments) == 6
    assert article.comment_count == 6


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
