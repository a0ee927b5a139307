"""Atom feeds: newest articles, articles mentioning an entity, search; paywall and caching."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from articles import search
from articles.models import Entity, Mention, MentionStatus
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
FUTURE = dt.date.today() + dt.timedelta(days=3650)


def entries(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title") or "",
            "summary": entry.findtext(f"{ATOM}summary") or "",
            "link": entry.find(f"{ATOM}link").get("href", ""),  # type: ignore[union-attr]
            "author": entry.findtext(f"{ATOM}author/{ATOM}name") or "",
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_it_lists_the_newest_articles(client: Client) -> None:
    older = ArticleFactory.create(title="Older", date=dt.date(2020, 1, 2), body_text="old text")
    newer = ArticleFactory.create(title="Newer", date=dt.date(2021, 1, 2), body_text="new text")
    newer.authors.add(AuthorFactory.create(name="Jonathan Corbet"))
    feed = entries(client.get("/feeds/articles/"))
    assert [e["title"] for e in feed] == ["Newer", "Older"]
    assert feed[0]["link"] == f"http://testserver/articles/{newer.lwn_id}/"
    assert feed[0]["author"] == "Jonathan Corbet"
    assert feed[1]["summary"] == "old text"
    assert older.lwn_id


def test_it_gives_only_a_summary_of_locked_articles_even_to_subscribers(
    client: Client, subscriber: Any
) -> None:
    ArticleFactory.create(
        title="Locked", subscriber_only=True, free_on=FUTURE, body_text="secret words"
    )
    client.force_login(subscriber)  # feeds are anonymous whoever asks
    (entry,) = entries(client.get("/feeds/articles/"))
    assert "secret" not in entry["summary"]
    assert entry["summary"].startswith("Subscriber-only on LWN.net until")


def test_it_takes_the_article_filters(client: Client) -> None:
    ArticleFactory.create(title="Brief", kind="brief")
    ArticleFactory.create(title="Feature", kind="feature")
    assert [e["title"] for e in entries(client.get("/feeds/articles/", {"kind": "brief"}))] == [
        "Brief"
    ]
    assert client.get("/feeds/articles/", {"kind": "novel"}).status_code == 400


def test_it_lists_articles_mentioning_an_entity(client: Client) -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    Mention.objects.create(entity=entity, article=ArticleFactory.create(title="Mentions it"))
    Mention.objects.create(
        entity=entity,
        article=ArticleFactory.create(title="Rejected"),
        status=MentionStatus.REJECTED,
    )
    ArticleFactory.create(title="Silent")
    feed = entries(client.get("/feeds/entities/syscall/faccessat2/"))
    assert [e["title"] for e in feed] == ["Mentions it"]
    assert entries(client.get("/feeds/entities/syscall/FACCESSAT2()/")) == feed
    assert client.get("/feeds/entities/syscall/openat2/").status_code == 404


def test_it_feeds_entities_with_slashes_in_their_names(client: Client) -> None:
    entity = Entity.objects.create(kind="path", name="/proc/sys/kernel/foo")
    Mention.objects.create(entity=entity, article=ArticleFactory.create(title="Proc"))
    # As on the entity pages, a path loses its leading slash in the URL.
    feed = entries(client.get("/feeds/entities/path/proc/sys/kernel/foo/"))
    assert [e["title"] for e in feed] == ["Proc"]


@pytest.mark.parametrize("path", ["/feeds/articles/", "/feeds/entities/syscall/faccessat2/"])
def test_it_answers_conditional_requests_before_rendering(
    path: str, client: Client, django_assert_num_queries: Callable[[int], Any]
) -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    Mention.objects.create(entity=entity, article=ArticleFactory.create())
    first = client.get(path)
    etag, modified = first["ETag"], first["Last-Modified"]
    with django_assert_num_queries(2 if "entities" in path else 1):
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    ArticleFactory.create(title="Another")  # the articles feed changes, the entity feed does not
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag).status_code
    assert changed == (304 if "entities" in path else 200)


def test_it_pins_the_query_count_of_a_feed(
    client: Client, django_assert_num_queries: Callable[[int], Any]
) -> None:
    """Keys for the validators, the items, their bylines: the same for 2 items or 10."""
    for size in (2, 10):
        while len(entries(client.get("/feeds/articles/"))) < size:
            ArticleFactory.create().authors.add(AuthorFactory.create())
        with django_assert_num_queries(3):
            client.get("/feeds/articles/")


def test_it_feeds_search_results_as_anonymous_hits(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: dict[str, Any] = {}
    hit = search.SearchHit(
        type="article",
        id=1,
        lwn_id=821729,
        title="A crop of new capabilities",
        url="https://lwn.net/Articles/821729/",
        snippet="new <mark>CAP_PERFMON</mark> capability",
        score=None,
        date=dt.date(2020, 6, 11),
        release="",
        section="Kernel",
        authors=("Jonathan Corbet",),
        article_lwn_id=821729,
    )

    def fake_search(**kwargs: Any) -> search.SearchResults:
        asked.update(kwargs)
        return search.SearchResults(
            query=kwargs["query"], count=1, hits=[hit], facets=search.Facets(), page=1, page_size=50
        )

    monkeypatch.setattr(search, "archive_search", fake_search)
    response = client.get("/feeds/search/", {"q": "CAP_PERFMON"})
    (entry,) = entries(response)
    assert entry["title"] == "A crop of new capabilities"
    assert "<mark>CAP_PERFMON</mark>" in entry["summary"]
    assert entry["link"] == "http://testserver/articles/821729/"
    assert asked["query"] == "CAP_PERFMON"
    assert not asked["user"].is_authenticated
    assert asked["sort"] == "date"
    assert (
        client.get(
            "/feeds/search/", {"q": "CAP_PERFMON"}, HTTP_IF_NONE_MATCH=response["ETag"]
        ).status_code
        == 304
    )


def test_it_refuses_a_search_feed_without_a_query(client: Client) -> None:
    assert client.get("/feeds/search/").status_code == 400


def test_it_reports_bad_search_syntax_and_a_missing_index(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise search.SearchError("Unbalanced quotes.")

    monkeypatch.setattr(search, "archive_search", broken)
    assert client.get("/feeds/search/", {"q": '"x'}).status_code == 400

    def missing(**kwargs: Any) -> None:
        raise search.SearchUnavailable("no index")

    monkeypatch.setattr(search, "archive_search", missing)
    assert client.get("/feeds/search/", {"q": "x"}).status_code == 503
