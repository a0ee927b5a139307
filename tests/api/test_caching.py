"""ETag and Last-Modified on read endpoints, and 304 answers when nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import override_settings
from django.utils.http import http_date
from rest_framework.test import APIClient

from articles.models import Article
from tests.api.conftest import API, Archive, locked_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/articles/", "/articles/{lwn_id}/", "/editions/", "/comments/", "/releases/5.8/"],
)
def test_it_answers_304_to_a_matching_etag(path: str, api: APIClient, archive: Archive) -> None:
    archive.grow(2)
    url = API + path.format(lwn_id=archive.articles[0].lwn_id)
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    assert first["Cache-Control"] == "no-cache"
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "Content-Type" not in again
    # A weak form of the same tag, or one of several, matches as well.
    assert api.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_it_changes_the_etag_when_the_article_changes(api: APIClient) -> None:
    article = ArticleFactory.create()
    url = f"{API}/articles/{article.lwn_id}/"
    etag = api.get(url)["ETag"]
    Article.objects.filter(pk=article.pk).update(title="Retitled")
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "Retitled"
    assert response["ETag"] != etag


def test_it_gives_subscribers_and_others_different_etags(
    client_as: Callable[[str], APIClient],
) -> None:
    """Same bytes or not, a tag seen by a subscriber never validates an anonymous copy."""
    article = ArticleFactory.create()
    url = f"{API}/articles/{article.lwn_id}/"
    anonymous, subscriber = client_as("anonymous"), client_as("subscriber")
    assert anonymous.get(url).content == subscriber.get(url).content
    assert anonymous.get(url)["ETag"] != subscriber.get(url)["ETag"]
    assert "Authorization" in anonymous.get(url)["Vary"]


def test_it_answers_304_to_if_modified_since(api: APIClient) -> None:
    article = ArticleFactory.create()
    url = f"{API}/articles/{article.lwn_id}/"
    first = api.get(url)
    assert first["Last-Modified"] == http_date(article.updated_at.timestamp())
    later = http_date(article.updated_at.timestamp() + 60)
    earlier = http_date(article.updated_at.timestamp() - 60)
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110, section 13.2.2).
    both = api.get(url, HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=later)
    assert both.status_code == 200


def test_it_dates_a_list_by_its_newest_row(api: APIClient, archive: Archive) -> None:
    archive.grow(3)
    newest = max(a.updated_at for a in Article.objects.all())
    assert api.get(f"{API}/articles/")["Last-Modified"] == http_date(newest.timestamp())


def test_it_dates_a_freed_article_by_its_free_date(api: APIClient) -> None:
    """The text appears on the free date without any edit; Last-Modified must move too."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    article = ArticleFactory.create(subscriber_only=True, free_on=yesterday)
    Article.objects.filter(pk=article.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    modified = api.get(f"{API}/articles/{article.lwn_id}/")["Last-Modified"]
    assert modified == http_date(dt.datetime.combine(yesterday, dt.time.min, dt.UTC).timestamp())


def test_it_sends_no_last_modified_where_rows_keep_no_time(api: APIClient) -> None:
    article = locked_article()
    response = api.get(f"{API}/articles/{article.lwn_id}/comments/")
    assert "ETag" in response
    assert "Last-Modified" not in response


def test_it_adds_no_validators_to_errors(api: APIClient, db: None) -> None:
    response = api.get(f"{API}/articles/1/")
    assert response.status_code == 404
    assert "ETag" not in response


def test_it_shares_anonymous_answers_for_api_cache_seconds(
    client_as: Callable[[str], APIClient], django_assert_num_queries: Callable[[int], object]
) -> None:
    article = ArticleFactory.create(title="Before")
    url = f"{API}/articles/{article.lwn_id}/"
    anonymous, subscriber = client_as("anonymous"), client_as("subscriber")
    with override_settings(API_CACHE_SECONDS=5):
        first = anonymous.get(url)
        Article.objects.filter(pk=article.pk).update(title="After")
        with django_assert_num_queries(0):  # type: ignore[attr-defined]
            shared = anonymous.get(url)
        assert shared.json()["title"] == "Before"
        assert (shared["ETag"], shared["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
        assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        # Logged-in callers never get a shared answer, nor another host's links.
        assert subscriber.get(url).json()["title"] == "After"
        assert anonymous.get(url, HTTP_HOST="localhost").json()["title"] == "After"
    assert anonymous.get(url).json()["title"] == "After"  # off again (0 with debug on)


def test_it_shares_list_pages_with_their_link_header(api: APIClient, archive: Archive) -> None:
    archive.grow(3)
    with override_settings(API_CACHE_SECONDS=5):
        first = api.get(f"{API}/articles/", {"page_size": 1})
        again = api.get(f"{API}/articles/", {"page_size": 1})
    assert again["Link"] == first["Link"]
    assert again.json() == first.json()
