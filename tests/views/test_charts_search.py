"""The search page's pictures: the year and release facets as columns whose bars filter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from articles import search
from articles.models import KernelRelease
from tests.factories import ArticleFactory, EditionFactory, MergeWindowItemFactory
from tests.views.chart_helpers import current, links, numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(tmp_data_dir: Path) -> None:
    for year, count in ((2016, 2), (2018, 3), (2019, 1)):
        for _ in range(count):
            edition = EditionFactory.create(date=dt.date(year, 3, 1))
            ArticleFactory.create(edition=edition, body_text="The io_uring interface grows.")
    for version, count in (("5.10", 2), ("5.9", 1)):
        release = KernelRelease.objects.create(version=version)
        MergeWindowItemFactory.create_batch(count, release=release, text="More io_uring work.")
    search.index_rebuild()


def test_it_draws_the_year_facet_with_empty_years_between(client: Client, indexed: None) -> None:
    body = client.get("/search/?q=io_uring&type=article").content.decode()
    assert numbers(body, "search-years") == {"2016": 2, "2017": 0, "2018": 3, "2019": 1}
    bars = links(body, "search-years")
    assert "2017 0 results" not in bars  # an empty year leads nowhere
    query = parse_qs(urlsplit(bars["2018 3 results"]).query)
    # The bar filters to its year and keeps the query and the other filters.
    assert query == {
        "q": ["io_uring"],
        "type": ["article"],
        "after": ["2018-01-01"],
        "before": ["2018-12-31"],
    }


def test_it_highlights_the_year_being_filtered_and_its_bar_narrows(
    client: Client, indexed: None
) -> None:
    url = links(client.get("/search/?q=io_uring").content.decode(), "search-years")
    narrowed = client.get(url["2018 3 results"]).content.decode()
    assert "3 results" in narrowed
    assert current(narrowed, "search-years") == ["2018"]


def test_it_draws_the_release_facet_in_version_order(client: Client, indexed: None) -> None:
    body = client.get("/search/?q=io_uring&sort=date").content.decode()
    assert list(numbers(body, "search-releases").items()) == [("5.9", 1), ("5.10", 2)]
    query = parse_qs(urlsplit(links(body, "search-releases")["5.10 2 results"]).query)
    assert query == {"q": ["io_uring"], "sort": ["date"], "release": ["5.10"]}
    narrowed = client.get(links(body, "search-releases")["5.10 2 results"]).content.decode()
    assert "2 results" in narrowed


def test_it_draws_no_pictures_without_results(client: Client, indexed: None) -> None:
    body = client.get("/search/?q=nothingmatchesthis").content.decode()
    assert "search-years" not in body
    assert "<svg" not in body
