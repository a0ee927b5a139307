"""A list walk counts its rows once, on the first page; the cursors carry the count."""

from __future__ import annotations

from base64 import b64decode, b64encode
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.api.conftest import API
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _cursor_tokens(link: str) -> dict[str, list[str]]:
    encoded = parse_qs(urlsplit(link).query)["cursor"][0]
    return parse_qs(b64decode(encoded).decode("ascii"))


def _with_tokens(tokens: str) -> str:
    return f"{API}/articles/?page_size=2&cursor=" + b64encode(tokens.encode()).decode()


def test_it_counts_on_the_first_page_only_and_keeps_that_count_for_the_walk(
    api: APIClient,
) -> None:
    ArticleFactory.create_batch(5)
    first = api.get(f"{API}/articles/", {"page_size": "2"}).json()
    assert first["count"] == 5
    assert _cursor_tokens(first["next"])["c"] == ["5"]
    ArticleFactory.create()  # added during the walk
    with CaptureQueriesContext(connection) as queries:
        second = api.get(first["next"]).json()
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert second["count"] == 5
    assert _cursor_tokens(second["previous"])["c"] == ["5"]
    assert api.get(f"{API}/articles/").json()["count"] == 6  # a new walk counts again


def test_it_counts_again_for_a_cursor_without_a_count(api: APIClient) -> None:
    ArticleFactory.create_batch(3)
    first = api.get(f"{API}/articles/", {"page_size": "2"}).json()
    tokens = {k: v[0] for k, v in _cursor_tokens(first["next"]).items() if k != "c"}
    older = _with_tokens("&".join(f"{k}={v}" for k, v in tokens.items()))
    assert api.get(older).json()["count"] == 3


@pytest.mark.parametrize("count", ["abc", "-1", "1" * 16])
def test_it_refuses_a_cursor_whose_count_is_not_a_count(api: APIClient, count: str) -> None:
    ArticleFactory.create_batch(3)
    first = api.get(f"{API}/articles/", {"page_size": "2"}).json()
    tokens = {k: v[0] for k, v in _cursor_tokens(first["next"]).items() if k != "c"}
    bad = "&".join([*(f"{k}={v}" for k, v in tokens.items()), f"c={count}"])
    response = api.get(_with_tokens(bad))
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]
