"""``/api/v1/articles/``: summaries, detail, the paywall, filters, ordering, pagination."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from articles.models import Article, Entity, Mention, MentionStatus
from tests.api.conftest import API, FUTURE, PERSONAS, Archive, locked_article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditionFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

pytestmark = pytest.mark.django_db


def titles(response: object) -> list[str]:
    return [row["title"] for row in response.json()["results"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_summaries_to_everyone(
    persona: str, client_as: Callable[[str], APIClient], archive: Archive
) -> None:
    archive.grow(2)
    response = client_as(persona).get(f"{API}/articles/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Article.objects.count() == 3  # the first edition grew one more
    first = next(row for row in body["results"] if row["lwn_id"] == archive.articles[1].lwn_id)
    assert set(first) >= {"title", "authors", "date", "section", "url", "subscriber_only"}
    assert "body_html" not in first
    assert first["authors"][0]["name"] == "Jonathan Corbet"


@pytest.mark.parametrize(
    ("persona", "can_read"),
    [("anonymous", False), ("subscriber", True), ("curator", True), ("staff", True)],
)
def test_it_shows_locked_text_only_to_subscribers(
    persona: str, can_read: bool, client_as: Callable[[str], APIClient]
) -> None:
    article = locked_article()
    body = client_as(persona).get(f"{API}/articles/{article.lwn_id}/").json()
    assert body["title"] == "Locked feature"
    assert body["subscriber_only"] is True
    assert body["free_on"] == FUTURE.isoformat()
    assert body["locked"] is not can_read
    assert body["body_text"] == ("secret words" if can_read else None)
    assert body["body_html"] == ("<p>secret words</p>" if can_read else None)


def test_it_shows_a_freed_article_to_everyone(api: APIClient) -> None:
    article = ArticleFactory.create(subscriber_only=True, free_on=dt.date(2020, 6, 18))
    body = api.get(f"{API}/articles/{article.lwn_id}/").json()
    assert body["locked"] is False
    assert body["body_text"] == "Some text about the kernel."


def test_it_answers_404_for_an_unknown_article(api: APIClient, db: None) -> None:
    assert api.get(f"{API}/articles/999999999/").status_code == 404
    assert api.get(f"{API}/articles/99999999999999999999/").status_code == 404


def test_it_pages_with_cursors_a_count_and_a_link_header(api: APIClient, archive: Archive) -> None:
    archive.grow(5)
    first = api.get(f"{API}/articles/", {"page_size": 2})
    body = first.json()
    assert body["count"] == Article.objects.count() == 9
    assert body["previous"] is None
    assert first["Link"] == f'<{body["next"]}>; rel="next"'
    seen = titles(first)
    url = body["next"]
    while url:
        page = api.get(url)
        seen += titles(page)
        url = page.json()["next"]
        assert 'rel="prev"' in page["Link"]
    assert sorted(seen) == sorted(Article.objects.values_list("title", flat=True))


def test_it_answers_400_naming_the_cursor_for_a_forged_one(
    api: APIClient, archive: Archive
) -> None:
    archive.grow(1)
    # Not base64; decodes, but the position is no date: an invalid cursor, not a crash.
    for cursor in ("not base64!", "cD15ZXN0ZXJkYXk="):
        response = api.get(f"{API}/articles/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "cursor" in response.json() or "cursor" in response.json().get("errors", {})


def test_it_orders_by_the_ordering_parameter(api: APIClient, db: None) -> None:
    for title, day in (("B", dt.date(2021, 1, 1)), ("A", dt.date(2020, 1, 1)), ("C", None)):
        ArticleFactory.create(title=title, date=day)
    assert titles(api.get(f"{API}/articles/")) == ["B", "A", "C"]
    assert titles(api.get(f"{API}/articles/", {"ordering": "date"})) == ["C", "A", "B"]
    assert titles(api.get(f"{API}/articles/", {"ordering": "-title"})) == ["C", "B", "A"]
    # An unknown key is refused (a silently ignored one would answer in another order).
    refused = api.get(f"{API}/articles/", {"ordering": "nonsense"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["ordering"]


def test_it_filters_by_date_range_section_kind_and_edition(api: APIClient, db: None) -> None:
    edition = EditionFactory.create(lwn_id=822335)
    ArticleFactory.create(title="old", date=dt.date(2019, 1, 1), section="Kernel", edition=None)
    ArticleFactory.create(title="mid", date=dt.date(2020, 6, 11), kind="brief", edition=edition)
    ArticleFactory.create(title="new", date=dt.date(2024, 1, 1), section="Security", edition=None)
    get = lambda **q: titles(api.get(f"{API}/articles/", q))  # noqa: E731
    assert get(date_after="2020-01-01", date_before="2021-01-01") == ["mid"]
    assert get(date_after="2020-01-01") == ["new", "mid"]
    assert get(section="kernel") == ["old"]
    assert get(kind="brief") == ["mid"]
    assert get(edition=822335) == ["mid"]
    assert api.get(f"{API}/articles/", {"date_after": "June"}).status_code == 400
    assert api.get(f"{API}/articles/", {"kind": "novel"}).status_code == 400


def test_it_filters_by_author_name_or_login(api: APIClient, db: None) -> None:
    corbet = AuthorFactory.create(name="Jonathan Corbet", login="corbet")
    mine = ArticleFactory.create(title="by corbet")
    mine.authors.add(corbet)
    ArticleFactory.create(title="by someone else").authors.add(
        AuthorFactory.create(name="Jake Edge")
    )
    assert titles(api.get(f"{API}/articles/", {"author": "jonathan corbet"})) == ["by corbet"]
    assert titles(api.get(f"{API}/articles/", {"author": "corbet"})) == ["by corbet"]


def test_it_compares_releases_numerically(api: APIClient, db: None) -> None:
    for version in ("5.8", "6.9", "6.14"):
        article = ArticleFactory.create(title=f"{version} merge window")
        MergeWindowItemFactory.create(
            release=KernelReleaseFactory.create(version=version), article=article
        )
    get = lambda **q: sorted(titles(api.get(f"{API}/articles/", q)))  # noqa: E731
    assert get(release="6.9") == ["6.9 merge window"]
    assert get(release_min="6.10") == ["6.14 merge window"]
    assert get(release_max="6.9") == ["5.8 merge window", "6.9 merge window"]
    assert get(release_min="5.9", release_max="6.13") == ["6.9 merge window"]
    assert api.get(f"{API}/articles/", {"release_min": "six"}).status_code == 400


def test_it_filters_by_a_mentioned_entity(api: APIClient, db: None) -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    Mention.objects.create(entity=entity, article=ArticleFactory.create(title="mentions it"))
    rejected = ArticleFactory.create(title="rejected mention")
    Mention.objects.create(entity=entity, article=rejected, status=MentionStatus.REJECTED)
    ArticleFactory.create(title="silent")
    assert titles(api.get(f"{API}/articles/", {"entity": "syscall:faccessat2"})) == ["mentions it"]
    assert titles(api.get(f"{API}/articles/", {"entity": "syscall:faccessat2()"})) == [
        "mentions it"
    ]
    assert titles(api.get(f"{API}/articles/", {"entity": "syscall:openat2"})) == []
    assert api.get(f"{API}/articles/", {"entity": "faccessat2"}).status_code == 400
    assert api.get(f"{API}/articles/", {"entity": "gadget:x"}).status_code == 400


@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 3), ("subscriber", 7)])
def test_it_lists_in_a_constant_number_of_queries(
    persona: str,
    queries: int,
    client_as: Callable[[str], APIClient],
    archive: Archive,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    """COUNT, the page, the bylines (+ session, user, two permission lookups when logged in)."""
    client = client_as(persona)
    locked_article()
    for size in (2, 10):
        archive.grow(size - len(archive.articles))
        with django_assert_num_queries(queries):  # type: ignore[attr-defined]
            assert client.get(f"{API}/articles/").status_code == 200


@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 3), ("subscriber", 7)])
def test_it_shows_one_article_in_a_constant_number_of_queries(
    persona: str,
    queries: int,
    client_as: Callable[[str], APIClient],
    archive: Archive,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    """The article, its byline and its entities (+ session, user, permissions when logged in)."""
    client = client_as(persona)
    archive.grow(2)
    article = locked_article()
    for position in range(10):
        author = AuthorFactory.create(name=f"Co-author {position}")
        article.articleauthor_set.create(author=author, position=position + 1)
        entity = Entity.objects.create(kind="syscall", name=f"call{position}")
        Mention.objects.create(entity=entity, article=article)
    with django_assert_num_queries(queries):  # type: ignore[attr-defined]
        assert client.get(f"{API}/articles/{article.lwn_id}/").status_code == 200


def test_it_documents_the_link_header_format(api: APIClient, archive: Archive) -> None:
    archive.grow(3)
    link = api.get(f"{API}/articles/", {"page_size": 1})["Link"]
    assert re.fullmatch(r'<http://testserver/api/v1/articles/\?cursor=[^>]+>; rel="next"', link)
