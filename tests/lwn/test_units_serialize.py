"""The JSON contract of ``to_json_dict``."""

from __future__ import annotations

import datetime as dt
import json

from articles.lwn import PARSER_VERSION, ParseWarning, to_json_dict
from articles.lwn.types import (
    HardwareCategory,
    MergeWindow,
    MergeWindowGroup,
    ParsedComment,
    ParsedItem,
    ParsedPage,
)


def _page() -> ParsedPage:
    item = ParsedItem(
        lwn_id=1,
        title="5.8 Merge window, part 1",
        kind="feature",
        section="Front page",
        authors=["Jonathan Corbet"],
        date=dt.date(2020, 6, 5),
        comment_count=12,
        body_html="<p>x</p>",
        body_text="x",
        position=0,
        url="https://lwn.net/Articles/1/",
        merge_window=MergeWindow("5.8", 1, [MergeWindowGroup("Core kernel", ["a"], ["a"])]),
        hardware=[HardwareCategory("Graphics", ["Foo panels"])],
    )
    comment = ParsedComment(
        lwn_id=2,
        parent_id=None,
        title="t",
        author="Jürgen",
        role="subscriber",
        posted_at=dt.datetime(2020, 6, 5, 18, 4, tzinfo=dt.UTC),
        depth=0,
        body_html="<p>c</p>",
        body_text="c",
    )
    return ParsedPage(
        page_kind="edition",
        lwn_id=3,
        title="T",
        date=dt.date(2020, 6, 11),
        free_on=None,
        layout="grid",
        items=[item],
        comments=[comment],
        warnings=[ParseWarning("item-no-body", "item 0", "item 'T' has no body")],
    )


def test_it_serialises_the_documented_keys() -> None:
    data = to_json_dict(_page())
    assert list(data) == [
        "page_kind",
        "lwn_id",
        "title",
        "date",
        "free_on",
        "layout",
        "edition_lwn_id",
        "parser_version",
        "items",
        "comments",
        "headlines",
        "warnings",
    ]
    assert data["warnings"] == [
        {"code": "item-no-body", "where": "item 0", "message": "item 'T' has no body"}
    ]
    assert data["parser_version"] == PARSER_VERSION
    assert data["date"] == "2020-06-11"
    assert data["free_on"] is None
    item = data["items"][0]
    assert set(item) == {
        "lwn_id",
        "title",
        "kind",
        "section",
        "authors",
        "date",
        "comment_count",
        "body_text",
        "url",
        "position",
        "merge_window",
        "hardware",
    }
    assert item["merge_window"] == {
        "kernel_version": "5.8",
        "part": 1,
        "groups": [{"title": "Core kernel", "items": ["a"]}],
    }
    assert item["hardware"] == [{"category": "Graphics", "devices": ["Foo panels"]}]
    assert data["comments"][0]["posted_at"] == "2020-06-05T18:04:00Z"
    assert "body_html" not in json.dumps(data)


def test_it_is_json_serialisable_with_non_ascii() -> None:
    text = json.dumps(to_json_dict(_page()), ensure_ascii=False)
    assert "Jürgen" in text
