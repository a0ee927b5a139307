"""ETag and Last-Modified on read endpoints, and 304 answers when nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils.http import http_date
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import search
from articles.models import Article, Entity
from tests.api.conftest import API, Archive, locked_article
from tests.factories import ArticleFactory
from tests.lwnkb.test_settings import manage

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


@pytest.fixture
def indexed(archive: Archive) -> Archive:
    """The small archive, with a locked article, in a real search index."""
    archive.grow(2)
    locked_article()
    search.index_rebuild()
    return archive


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/schema/",
        "/search/?q=kernel",
        "/search/?type=article",
        "/entities/",
        "/entities/syscall/faccessat2/",
    ],
)
def test_it_answers_304_on_every_get_beyond_the_browsing_lists(
    path: str, api: APIClient, indexed: Archive
) -> None:
    """Search, entities, the root and the schema revalidate like the lists do."""
    Entity.objects.create(kind="syscall", name="faccessat2")
    first = api.get(API + path)
    assert first.status_code == 200, first.content
    etag = first["ETag"]
    again = api.get(API + path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert "Content-Type" not in again
    assert api.get(API + path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_it_changes_the_search_etag_when_the_results_change(
    api: APIClient, indexed: Archive
) -> None:
    url = f"{API}/search/?q=kernel"
    first = api.get(url)
    assert first.json()["count"] > 0
    etag = first["ETag"]
    indexed.grow(1)
    search.index_rebuild()
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_it_never_lets_a_subscribers_search_etag_validate_an_anonymous_copy(
    client_as: Callable[[str], APIClient], subscriber: User, indexed: Archive
) -> None:
    url = f"{API}/search/?type=comment"
    anonymous, by_session = client_as("anonymous"), client_as("subscriber")
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=subscriber).key}")
    subscriber_tags = {by_session.get(url)["ETag"], by_token.get(url)["ETag"]}
    assert len(subscriber_tags) == 1  # the token's user counts as much as the session's
    anonymous_tag = anonymous.get(url)["ETag"]
    assert anonymous_tag not in subscriber_tags
    (subscriber_tag,) = subscriber_tags
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=subscriber_tag).status_code == 200
    assert by_token.get(url, HTTP_IF_NONE_MATCH=anonymous_tag).status_code == 200


@pytest.mark.parametrize("path", ["/articles/", "/search/?q=kernel", "/entities/", "/"])
def test_it_lets_shared_caches_keep_anonymous_answers_for_public_max_age(
    path: str, client_as: Callable[[str], APIClient], subscriber: User, indexed: Archive
) -> None:
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=subscriber).key}")
    with override_settings(PUBLIC_MAX_AGE=60):
        assert client_as("anonymous").get(API + path)["Cache-Control"] == "public, max-age=60"
        assert client_as("subscriber").get(API + path)["Cache-Control"] == "private, no-cache"
        assert by_token.get(API + path)["Cache-Control"] == "private, no-cache"
        assert "Authorization" in by_token.get(API + path)["Vary"]
    with override_settings(PUBLIC_MAX_AGE=0):
        assert client_as("anonymous").get(API + path)["Cache-Control"] == "no-cache"


PRODUCTION = {"LWNKB_DEBUG": "false", "LWNKB_SECRET_KEY": "k" * 60}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "seconds"),
    [
        ({"LWNKB_DEBUG": "true"}, "0"),
        ({"LWNKB_DEBUG": "false", "LWNKB_SECRET_KEY": "k" * 60}, "60"),
        (
            {"LWNKB_DEBUG": "false", "LWNKB_SECRET_KEY": "k" * 60, "LWNKB_PUBLIC_MAX_AGE": "300"},
            "300",
        ),
    ],
)
def test_it_keeps_public_answers_a_minute_in_production(
    env: dict[str, str], seconds: str, tmp_path: Path
) -> None:
    shown = "from django.conf import settings; print(settings.PUBLIC_MAX_AGE)"
    result = manage(
        "shell", "--no-imports", "-c", shown, env={**env, "LWNKB_DATA_DIR": str(tmp_path)}
    )
    assert result.stdout.strip() == seconds, result.stderr


def test_it_adds_no_validators_to_api_errors_outside_the_lists(api: APIClient, db: None) -> None:
    for path in ("/search/?type=novel", "/entities/syscall/nosuch/"):
        response = api.get(API + path)
        assert response.status_code in (400, 404)
        assert "ETag" not in response
