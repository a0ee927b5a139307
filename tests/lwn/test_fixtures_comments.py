"""Every fixture comment's place in its thread and its fields, from one table."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.lwn.conftest import comment_by_id, fixture_page
from tests.lwn.expected_comments import COMMENTS, Comment

ROWS = [(name, row) for name, rows in COMMENTS.items() for row in rows]


@pytest.mark.parametrize(("name", "rows"), COMMENTS.items(), ids=COMMENTS.keys())
def test_it_finds_every_comment_with_ids_parents_and_depths(name: str, rows: list[Comment]) -> None:
    got = [(c.lwn_id, c.parent_id, c.depth) for c in fixture_page(name).comments]
    assert got == [(row[0], row[1], row[2]) for row in rows]


@pytest.mark.parametrize(("name", "row"), ROWS, ids=[str(row[0]) for _, row in ROWS])
def test_it_reads_each_comment_field_by_field(name: str, row: Comment) -> None:
    lwn_id, parent_id, depth, title, author, role, posted_at = row
    comment = comment_by_id(fixture_page(name), lwn_id)
    assert comment.parent_id == parent_id
    assert comment.depth == depth
    assert comment.title == title
    assert comment.author == author  # the login name, exactly as shown
    assert comment.role == role
    assert comment.posted_at == posted_at
    assert comment.posted_at.utcoffset() == dt.timedelta(0)
