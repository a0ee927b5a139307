"""Every fixture page's own fields, and its items' titles and order, from one table."""

from __future__ import annotations

import pytest

from tests.lwn.conftest import fixture_page
from tests.lwn.expected import BIGPAGE, FRONT, HEADERS, TITLES


@pytest.mark.parametrize(("name", "expected"), HEADERS.items(), ids=HEADERS.keys())
def test_it_reads_the_page_header(name: str, expected: dict[str, object]) -> None:
    page = fixture_page(name)
    assert {field: getattr(page, field) for field in expected} == expected


@pytest.mark.parametrize(("name", "titles"), TITLES.items(), ids=TITLES.keys())
def test_it_finds_every_item_in_page_order(name: str, titles: list[str]) -> None:
    assert [item.title for item in fixture_page(name).items] == titles


@pytest.mark.parametrize("name", [BIGPAGE, FRONT])
def test_it_numbers_items_in_ascending_page_order(name: str) -> None:
    positions = [item.position for item in fixture_page(name).items]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
