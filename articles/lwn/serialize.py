"""The JSON form of a parsed page (what ``lwn_parse`` prints).

Dates are ISO ``YYYY-MM-DD``; comment times are ``YYYY-MM-DDTHH:MM:SSZ``.
HTML bodies are left out: they are for storage, not for the JSON contract.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .types import FrontPageItem, MergeWindow, ParsedComment, ParsedItem, ParsedPage

# "2": warnings became objects with a stable code; front pages and their
# headlines; old-markup comment bodies (pages parsed by "1" may lack them).
PARSER_VERSION = "2"


def to_json_dict(page: ParsedPage) -> dict[str, Any]:
    """*page* as plain JSON-ready values (see the module docstring)."""
    return {
        "page_kind": page.page_kind,
        "lwn_id": page.lwn_id,
        "title": page.title,
        "date": _date(page.date),
        "free_on": _date(page.free_on),
        "layout": page.layout,
        "edition_lwn_id": page.edition_lwn_id,
        "parser_version": PARSER_VERSION,
        "items": [_item(item) for item in page.items],
        "comments": [_comment(comment) for comment in page.comments],
        "headlines": [_headline(item) for item in page.headlines],
        "warnings": [
            {"code": warning.code, "where": warning.where, "message": warning.message}
            for warning in page.warnings
        ],
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _item(item: ParsedItem) -> dict[str, Any]:
    return {
        "lwn_id": item.lwn_id,
        "title": item.title,
        "kind": item.kind,
        "section": item.section,
        "authors": list(item.authors),
        "date": _date(item.date),
        "comment_count": item.comment_count,
        "body_text": item.body_text,
        "url": item.url,
        "position": item.position,
        "merge_window": _merge_window(item.merge_window),
        "hardware": [
            {"category": category.category, "devices": list(category.devices)}
            for category in item.hardware
        ],
    }


def _merge_window(window: MergeWindow | None) -> dict[str, Any] | None:
    if window is None:
        return None
    return {
        "kernel_version": window.kernel_version,
        "part": window.part,
        "groups": [{"title": group.title, "items": list(group.items)} for group in window.groups],
    }


def _headline(item: FrontPageItem) -> dict[str, Any]:
    return {
        "lwn_id": item.lwn_id,
        "title": item.title,
        "kind": item.kind,
        "subscriber_only": item.subscriber_only,
        "section": item.section,
        "poster": item.poster,
        "posted_at": _time(item.posted_at) if item.posted_at is not None else None,
        "comment_count": item.comment_count,
        "blurb_text": item.blurb_text,
        "position": item.position,
    }


def _time(value: dt.datetime) -> str:
    # The parser makes aware UTC times; a naive one from elsewhere means UTC too.
    value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _comment(comment: ParsedComment) -> dict[str, Any]:
    return {
        "lwn_id": comment.lwn_id,
        "parent_id": comment.parent_id,
        "title": comment.title,
        "author": comment.author,
        "role": comment.role,
        "posted_at": _time(comment.posted_at),
        "depth": comment.depth,
        "body_text": comment.body_text,
    }
