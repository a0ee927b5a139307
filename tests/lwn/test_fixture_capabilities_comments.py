"""Field-by-field tests for a grid-layout article page with old-style comment threads."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from articles.lwn import to_json_dict
from articles.lwn.types import ParsedItem, ParsedPage
from tests.lwn.conftest import (
    assert_contains_all,
    assert_no_chrome,
    comment_by_id,
    fixture_page,
    squash,
)

NAME = "article-2020-capabilities-comments.html"
UTC = dt.UTC


def _at(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2020, 6, day, hour, minute, tzinfo=UTC)


# lwn_id, parent_id, depth, title, author, role, posted_at — in page order.
COMMENTS: list[tuple[int, int | None, int, str, str, str, dt.datetime]] = [
    (821845, None, 0, "Why not fix CAP_SYS_ADMIN?", "kmartens", "subscriber", _at(8, 15, 12)),
    (821851, 821845, 1, "Why not fix CAP_SYS_ADMIN?", "corbet", "editor", _at(8, 15, 40)),
    (821868, 821851, 2, "Compatibility forever", "kmartens", "subscriber", _at(8, 16, 2)),
    (821860, 821845, 1, "Why not fix CAP_SYS_ADMIN?", "sjuergens", "guest", _at(8, 15, 55)),
    (821870, None, 0, "CAP_BPF alone is not much", "olivef", "subscriber", _at(8, 18, 4)),
    (821874, 821870, 1, "CAP_BPF alone is not much", "hvolkmer", "subscriber", _at(8, 18, 31)),
    (821880, 821874, 2, "Tracing in containers", "olivef", "subscriber", _at(8, 19, 10)),
    (821893, 821874, 2, "Tracing in containers", "ptrchaser", "subscriber", _at(8, 20, 47)),
    (821902, None, 0, "No biscuit", "rgbwhite", "subscriber", _at(8, 21, 15)),
    (821905, 821902, 1, "No biscuit", "jrw", "subscriber", _at(8, 22, 3)),
    (821941, None, 0, "CAP_CHECKPOINT as well?", "dkarol", "subscriber", _at(9, 7, 26)),
    (821950, 821941, 1, "CAP_CHECKPOINT as well?", "corbet", "editor", _at(9, 13, 58)),
    (821977, None, 0, "Counting capabilities", "nhaaland", "subscriber", _at(9, 16, 45)),
    (821990, 821977, 1, "Counting capabilities", "capfan", "subscriber", _at(10, 2, 9)),
]


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return fixture_page(NAME)


@pytest.fixture(scope="module")
def article(page: ParsedPage) -> ParsedItem:
    assert len(page.items) == 1
    return page.items[0]


def test_it_reads_the_page_header(page: ParsedPage) -> None:
    assert page.page_kind == "article"
    assert page.lwn_id == 821729
    assert page.title == "A crop of new capabilities"
    assert page.date == dt.date(2020, 6, 8)
    assert page.free_on is None
    assert page.layout == "grid"


def test_it_reads_the_article_item_field_by_field(article: ParsedItem) -> None:
    assert article.lwn_id == 821729
    assert article.title == "A crop of new capabilities"
    assert article.kind == "feature"
    assert article.section is None
    assert article.authors == ["Jonathan Corbet"]
    assert article.date == dt.date(2020, 6, 8)
    assert article.comment_count == 14
    assert article.url == "https://lwn.net/Articles/821729/"
    assert article.merge_window is None
    assert article.hardware == []


def test_it_keeps_the_bare_leading_text_and_key_facts(article: ParsedItem) -> None:
    body = squash(article.body_text)
    assert body.startswith("Capabilities let a process carry out specific privileged operations")
    assert_contains_all(
        body,
        [
            "CAP_AUDIT_READ",
            "3.16",
            "CAP_PERFMON",
            "CAP_BPF",
            "CAP_SYS_ADMIN",
            "CAP_RESTORE",
            "clone3()",
            "bpf()",
            "/proc/pid/map_files",
            "CAP_CHECKPOINT",
            "New capabilities in 5.8",
            "Bad JVM! No biscuit!",
            "—",
        ],
    )


def test_it_keeps_comments_and_chrome_out_of_the_article_body(article: ParsedItem) -> None:
    assert_no_chrome(
        article.body_text,
        extra=[
            "By Jonathan Corbet",
            "Comments (14 posted)",
            "Posted Jun",
            "kmartens",
            "Why not fix",
            "Counting capabilities",
            "subscriber, #",
        ],
    )


def test_it_finds_every_comment_with_ids_parents_and_depths(page: ParsedPage) -> None:
    got = [(c.lwn_id, c.parent_id, c.depth) for c in page.comments]
    assert got == [(row[0], row[1], row[2]) for row in COMMENTS]


def test_it_counts_the_comments_it_lists(page: ParsedPage, article: ParsedItem) -> None:
    assert len(page.comments) == article.comment_count == 14


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
    assert comment.author == author  # the login name, exactly as shown
    assert comment.role == role
    assert comment.posted_at == posted_at
    assert comment.posted_at.utcoffset() == dt.timedelta(0)


def test_it_keeps_comment_bodies_and_only_the_bodies(page: ParsedPage) -> None:
    assert_contains_all(comment_by_id(page, 821870).body_text, ["CAP_PERFMON", "CAP_BPF"])
    assert_contains_all(comment_by_id(page, 821868).body_text, ["> New capabilities", "Oh well"])
    assert_contains_all(comment_by_id(page, 821990).body_text, ["#define CAP_BPF", "39"])
    for comment in page.comments:
        assert_no_chrome(comment.body_text, extra=["Posted Jun", f"({comment.role}, #", "[Link]"])
        assert not squash(comment.body_text).startswith(comment.title)


def test_it_keeps_the_lines_of_a_preformatted_comment(page: ParsedPage) -> None:
    body = comment_by_id(page, 821990).body_text
    assert "#define CAP_PERFMON          38\n#define CAP_BPF              39" in body


def test_it_serialises_comment_times_as_utc_strings(page: ParsedPage) -> None:
    data = json.loads(json.dumps(to_json_dict(page)))
    first = data["comments"][0]
    assert first == {
        "lwn_id": 821845,
        "parent_id": None,
        "title": "Why not fix CAP_SYS_ADMIN?",
        "author": "kmartens",
        "role": "subscriber",
        "posted_at": "2020-06-08T15:12:00Z",
        "depth": 0,
        "body_text": first["body_text"],
    }
    assert data["comments"][10]["posted_at"] == "2020-06-09T07:26:00Z"
    assert data["items"][0]["comment_count"] == 14
