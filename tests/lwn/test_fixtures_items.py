"""Every fixture item's fields and body, from the tables in ``tests/lwn/expected.py``."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.lwn.conftest import assert_contains_all, fixture_page, item_titled, squash
from tests.lwn.expected import Fields
from tests.lwn.expected_items import BODY_FACTS, BODY_LACKS, BODY_STARTS, ITEMS


def _ids(rows: Sequence[tuple[str, str, object]]) -> list[str]:
    return [f"{name.removesuffix('.html')}:{title}" for name, title, _ in rows]


@pytest.mark.parametrize(("name", "title", "expected"), ITEMS, ids=_ids(ITEMS))
def test_it_reads_each_item_field_by_field(name: str, title: str, expected: Fields) -> None:
    item = item_titled(fixture_page(name), title)
    assert {field: getattr(item, field) for field in expected} == expected


@pytest.mark.parametrize(("name", "title", "opening"), BODY_STARTS, ids=_ids(BODY_STARTS))
def test_it_starts_the_body_with_the_first_words_of_the_text(
    name: str, title: str, opening: str
) -> None:
    assert squash(item_titled(fixture_page(name), title).body_text).startswith(opening)


@pytest.mark.parametrize(("name", "title", "facts"), BODY_FACTS, ids=_ids(BODY_FACTS))
def test_it_keeps_key_facts_in_each_body(name: str, title: str, facts: list[str]) -> None:
    assert_contains_all(item_titled(fixture_page(name), title).body_text, facts)


@pytest.mark.parametrize(("name", "title", "text"), BODY_LACKS, ids=_ids(BODY_LACKS))
def test_it_does_not_let_one_item_swallow_the_next(name: str, title: str, text: str) -> None:
    assert text not in item_titled(fixture_page(name), title).body_text
