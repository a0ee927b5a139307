"""The article list's default order (newest first) walked by cursor, on its own index."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.api.conftest import API, page_plan
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DAYS = [dt.date(2020, 6, 11), dt.date(2020, 6, 11), dt.date(2019, 1, 3), None, None]


def _walk(api: APIClient, page_size: int) -> list[str]:
    seen: list[str] = []
    url: str | None = f"{API}/articles/?page_size={page_size}"
    while url:
        body = api.get(url).json()
        seen.extend(row["title"] for row in body["results"])
        url = body["next"]
    return seen


def test_it_walks_every_article_once_newest_first_undated_last(api: APIClient) -> None:
    made = [ArticleFactory.create(date=day, title=f"article {i}") for i, day in enumerate(DAYS)]
    # Ties on the day break by id, newest id first; undated items sort as the oldest.
    newest = sorted(made, key=lambda a: (a.date or dt.date.min, a.pk), reverse=True)
    expected = [a.title for a in newest]
    for page_size in (1, 2, 3):
        assert _walk(api, page_size) == expected


def test_it_starts_a_deep_page_at_its_cursor_in_the_sort_date_index(api: APIClient) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN of PostgreSQL plans")
    for day in DAYS:
        ArticleFactory.create(date=day)
    first = api.get(f"{API}/articles/", {"page_size": "2"}).json()
    plan = page_plan(api, first["next"])
    assert "article_sort_date" in plan, plan
    assert "Index Cond: (COALESCE(date, '0001-01-01'::date) <= " in plan, plan
