"""``/api/v1/editions/``: by LWN id, with the edition's items in page order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.api.conftest import API, PERSONAS, locked_article
from tests.factories import ArticleFactory, EditionFactory
from tests.services.conftest import import_fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_editions_to_everyone(persona: str, client_as: Callable[[str], APIClient]) -> None:
    import_fixture("edition-2020-06-11-bigpage.html")
    body = client_as(persona).get(f"{API}/editions/").json()
    assert body["count"] == 1
    (edition,) = body["results"]
    assert (edition["lwn_id"], edition["date"]) == (822335, "2020-06-11")
    assert edition["article_count"] > 5


def test_it_shows_an_edition_with_its_items_in_page_order(api: APIClient) -> None:
    import_fixture("edition-2020-06-11-bigpage.html")
    body = api.get(f"{API}/editions/822335/").json()
    positions = [a["lwn_id"] for a in body["articles"]]
    assert len(positions) == body["article_count"]
    assert any(a["title"] == "5.8 Merge window, part 1" for a in body["articles"])
    assert all(a["edition"] == 822335 for a in body["articles"])
    assert "body_text" not in body["articles"][0]


def test_it_marks_locked_items_of_an_edition(api: APIClient) -> None:
    edition = EditionFactory.create()
    locked_article(edition=edition, position=0)
    ArticleFactory.create(edition=edition, position=1, title="Free")
    items = api.get(f"{API}/editions/{edition.lwn_id}/").json()["articles"]
    assert [(a["title"], a["locked"]) for a in items] == [("Locked feature", True), ("Free", False)]


def test_it_filters_editions_by_date_and_year(api: APIClient) -> None:
    for day in (dt.date(2019, 5, 2), dt.date(2020, 6, 11), dt.date(2021, 1, 7)):
        EditionFactory.create(date=day)

    def dates(**query: Any) -> list[str]:
        return [e["date"] for e in api.get(f"{API}/editions/", query).json()["results"]]

    assert dates() == ["2021-01-07", "2020-06-11", "2019-05-02"]
    assert dates(year=2020) == ["2020-06-11"]
    assert dates(date_after="2020-01-01", ordering="date") == ["2020-06-11", "2021-01-07"]
    assert dates(date_before="2020-01-01") == ["2019-05-02"]


def test_it_counts_each_listed_editions_items_by_itself(api: APIClient) -> None:
    # A subquery per edition on the page: the list once joined every article of the
    # archive and grouped them before it took its page (207 ms a page at full size).
    busy, empty = EditionFactory.create(date=dt.date(2020, 6, 11)), EditionFactory.create()
    ArticleFactory.create_batch(3, edition=busy)
    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"{API}/editions/", {"ordering": "date"}).json()
    counts = {e["lwn_id"]: e["article_count"] for e in body["results"]}
    assert counts == {busy.lwn_id: 3, empty.lwn_id: 0}
    listed = [q["sql"] for q in queries.captured_queries if "articles_edition" in q["sql"]]
    assert listed
    assert not any("GROUP BY" in sql.split("(SELECT")[0] for sql in listed)


def test_it_answers_404_for_an_unknown_edition(api: APIClient) -> None:
    assert api.get(f"{API}/editions/1/").status_code == 404
