"""The article list's lean path: rows (not model instances) written by ``summaries_data``.

The list, an edition's detail and curation's "free now" read named tuples from
``article_summary_rows`` and decide the paywall per row with ``locked_today``; the
serializer (the article detail's base, and the schema) writes model instances. These
tests hold the two to the same answer, and hold ``locked_today`` to the model's own
rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIClient

from articles.api.articles import (
    ArticleSummarySerializer,
    attach_bylines,
    locked_today,
    summaries_data,
)
from articles.filters import ArticleFilter
from articles.models import Article
from articles.selectors.articles import article_summary_rows
from tests.api.conftest import API, FUTURE, Archive, locked_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 1)


def drf_request(rf: RequestFactory, user: User | AnonymousUser) -> Request:
    request = Request(rf.get(f"{API}/articles/"))
    request.user = user
    return request


@pytest.mark.parametrize("persona", ["anonymous", "subscriber"])
def test_it_writes_rows_as_the_serializer_writes_instances(
    persona: str, archive: Archive, rf: RequestFactory, request: pytest.FixtureRequest
) -> None:
    archive.grow(2)
    locked_article()
    ArticleFactory.create(lwn_id=None, edition=None, section="", comment_count=None)
    drf = drf_request(rf, request.getfixturevalue(persona))
    rows = list(article_summary_rows().order_by("pk"))
    instances = list(Article.objects.annotate(edition_lwn_id=F("edition__lwn_id")).order_by("pk"))
    attach_bylines(instances)
    expected = [ArticleSummarySerializer(a, context={"request": drf}).data for a in instances]
    assert summaries_data(rows, drf) == expected
    assert any(summary["locked"] for summary in expected) is (persona == "anonymous")


@pytest.mark.parametrize("subscriber_only", [False, True])
@pytest.mark.parametrize("free_on", [None, TODAY - dt.timedelta(days=1), TODAY, FUTURE])
@pytest.mark.parametrize("reads_subscriber", [False, True])
def test_it_locks_a_row_exactly_when_the_model_locks_the_article(
    subscriber_only: bool,
    free_on: dt.date | None,
    reads_subscriber: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    article = Article(subscriber_only=subscriber_only, free_on=free_on)
    reader: Any = type("Reader", (), {"has_perm": lambda self, perm: reads_subscriber})()
    expected = article.is_locked_for(reader)
    row: Any = article
    assert locked_today(row, today=TODAY, reads_subscriber=reads_subscriber) is expected


FILTERS_MATCHING_NOTHING = {
    "date_after": "2999-01-01",
    "date_before": "1900-01-01",
    "edition": "999999999",
    "section": "No such section",
    "kind": "guest",
    "author": "Nobody at all",
    "release": "99.99",
    "release_min": "99.0",
    "release_max": "0.1",
    "entity": "syscall:nosuchcall",
    "subscriber_only": "true",
}


def test_it_knows_a_value_matching_nothing_for_every_article_filter() -> None:
    assert set(FILTERS_MATCHING_NOTHING) == set(ArticleFilter.base_filters)


@pytest.mark.parametrize(("name", "value"), FILTERS_MATCHING_NOTHING.items())
def test_it_applies_a_filter_that_is_the_only_parameter(
    name: str, value: str, api: APIClient, archive: Archive
) -> None:
    """The FilterSet is skipped without a parameter of its own, never with one."""
    archive.grow(2)
    Article.objects.update(kind="feature", subscriber_only=False)
    assert api.get(f"{API}/articles/").json()["count"] > 0
    assert api.get(f"{API}/articles/", {"utm_source": "x"}).json()["count"] > 0
    answer = api.get(f"{API}/articles/", {name: value, "utm_source": "x"})
    assert answer.status_code == 200
    assert answer.json()["count"] == 0


@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 3), ("subscriber", 7)])
def test_it_lists_with_a_filter_in_a_constant_number_of_queries(
    persona: str,
    queries: int,
    client_as: Callable[[str], APIClient],
    archive: Archive,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    """COUNT, the page, the bylines, whatever the page size and however many match."""
    client = client_as(persona)
    for size in (2, 6):
        archive.grow(size - len(archive.articles))
        with django_assert_num_queries(queries):  # type: ignore[attr-defined]
            answer = client.get(f"{API}/articles/", {"kind": "feature", "page_size": "3"})
        assert answer.status_code == 200


@pytest.mark.parametrize("lwn_id", [0, 2**31 - 1, 2**31, 2**63])
def test_it_answers_404_in_words_for_an_article_that_is_not_there(
    lwn_id: int, api: APIClient
) -> None:
    answer = api.get(f"{API}/articles/{lwn_id}/")
    assert answer.status_code == 404
    assert answer.json()["detail"] == f"No article with LWN id {lwn_id}."
