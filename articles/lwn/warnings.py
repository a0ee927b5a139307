"""Parse warnings: what the parser recognised as content but could not place.

Every warning has a stable ``code`` (kebab-case, never reworded once
released: users filter import runs by it), a ``where`` naming the element
("comment 254969", "item 3", "page") and a one-line ``message`` for people.
``CODES`` is the catalogue: the docs, admin filter and ``lwn_parse --check``
read their descriptions from it.
"""

from __future__ import annotations

from dataclasses import dataclass

CODES: dict[str, str] = {
    "bytes-undecodable": "bytes that are not valid in the page's charset were replaced",
    "layout-unknown": "the page layout was not recognised; the table layout was assumed",
    "page-shape-unknown": "the page has article text but no shape the parser knows",
    "subscription-no-article": "a subscription page names no article",
    "subscription-no-free-date": "a subscription page gives no date on which the article is free",
    "edition-no-id": "an edition page names no LWN id",
    "edition-no-items": "an edition page has no items",
    "item-no-title": "an item has no title and was skipped",
    "item-no-id": "an item has no LWN id",
    "item-byline-incomplete": "an item's byline has no date or no author",
    "item-no-body": "an item has no body text",
    "block-unplaced": "text between a section heading and its first item belongs to no item",
    "comment-no-poster": "a comment box has no poster line and was skipped",
    "comment-no-id": "a comment has no id and was skipped",
    "comment-no-time": "a comment has no posting time and was skipped",
    "comment-no-body": "a comment has no body text",
    "comment-count-mismatch": "the article's comment count differs from the comments parsed",
    "frontpage-item-no-id": "a front-page headline names no LWN id and was skipped",
    "frontpage-no-items": "a front page has no headline items",
}


@dataclass(frozen=True, slots=True)
class ParseWarning:
    code: str  # a key of CODES
    where: str  # "page", "item 3", "comment 254969"
    message: str


class Warnings(list[ParseWarning]):
    """The warnings of one parse, in the order they were found."""

    def add(self, code: str, where: str, message: str) -> None:
        if code not in CODES:  # a typo here would make a code nobody can filter by
            raise ValueError(f"unknown parse warning code {code!r}")
        self.append(ParseWarning(code, where, message))

    def codes(self) -> list[str]:
        return [warning.code for warning in self]
