"""Field-by-field tests for the "Subscription required" page (R2 shape)."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.lwn import parse_page
from articles.lwn.types import ParsedPage
from tests.lwn.conftest import fixture_page, fixture_path

NAME = "subscription-required.html"


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return fixture_page(NAME)


def test_it_recognises_a_paywalled_page(page: ParsedPage) -> None:
    assert page.page_kind == "subscription_required"
    assert page.layout == "grid"


def test_it_names_the_withheld_article(page: ParsedPage) -> None:
    assert page.lwn_id == 783673
    assert page.title == "Managing sysctl knobs with BPF"


def test_it_reads_the_date_the_article_becomes_free(page: ParsedPage) -> None:
    """The date is split over two lines in the page, as on the real site."""
    assert page.free_on == dt.date(2019, 4, 4)


def test_it_reports_no_publication_date_items_or_comments(page: ParsedPage) -> None:
    assert page.date is None
    assert page.items == []
    assert page.comments == []


def test_it_keeps_the_url_hint() -> None:
    url = "https://lwn.net/Articles/783673/"
    hinted = parse_page(fixture_path(NAME).read_bytes(), url=url)
    assert hinted.url == url
    assert hinted.lwn_id == 783673
    assert hinted.free_on == dt.date(2019, 4, 4)
