"""A grid-layout article page with old-style comment threads: what the tables do not cover.

Its header, item, body and comment fields are rows in ``tests/lwn/expected.py``.
"""

from __future__ import annotations

import json

from articles.lwn import to_json_dict
from articles.lwn.types import ParsedItem, ParsedPage
from tests.lwn.conftest import (
    assert_contains_all,
    assert_no_chrome,
    comment_by_id,
    squash,
)
from tests.lwn.expected import CAPABILITIES, CAPABILITIES_TITLE

NAME = CAPABILITIES
TITLE = CAPABILITIES_TITLE


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


def test_it_counts_the_comments_it_lists(page: ParsedPage, article: ParsedItem) -> None:
    assert len(page.comments) == article.comment_count == 14


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
