"""Atom feeds: newest articles, articles mentioning an entity, search; paywall and caching."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped]  # ships no type hints
import pytest
from django.test import Client, override_settings
from lxml import etree

from articles import search
from articles.api.search import SearchParamsSerializer
from articles.feeds import NO_BYLINE, SearchFeedParams
from articles.models import Entity, Mention, MentionStatus
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
FUTURE = dt.date.today() + dt.timedelta(days=3650)
ATOM_SCHEMA = etree.RelaxNG(etree.parse(Path(__file__).parent / "fixtures" / "atom.rng"))


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


def valid_atom(response: Any) -> etree._Element:
    """The feed, checked by RFC 4287's schema, the rules it cannot say, and feedparser."""
    assert response.status_code == 200, response.content
    root = etree.fromstring(response.content)
    assert ATOM_SCHEMA.validate(root), ATOM_SCHEMA.error_log
    # RFC 4287, 4.1.1: an entry without an author needs a feed-level one; we give each its own.
    for entry in root.iter(f"{ATOM}entry"):
        assert (entry.findtext(f"{ATOM}author/{ATOM}name") or "").strip(), etree.tostring(entry)
        assert entry.findtext(f"{ATOM}updated")
    ids = [e.text for e in root.iter(f"{ATOM}id")]
    assert len(ids) == len(set(ids))
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return root


def self_link(root: etree._Element) -> str:
    (link,) = [x for x in root.findall(f"{ATOM}link") if x.get("rel") == "self"]
    return str(link.get("href"))


@pytest.fixture
def indexed(db: None) -> None:
    """Articles, a merge-window item and an undated device, in a real search index."""
    release = KernelReleaseFactory.create(version="5.8")
    bylined = ArticleFactory.create(
        title="Capabilities for perf", date=dt.date(2020, 6, 11), body_text="CAP_PERFMON splits"
    )
    bylined.authors.add(AuthorFactory.create(name="Jonathan Corbet"))
    unsigned = ArticleFactory.create(
        title="Brief news on CAP_PERFMON", date=dt.date(2020, 6, 4), body_text="CAP_PERFMON again"
    )
    MergeWindowItemFactory.create(release=release, article=unsigned, text="CAP_PERFMON arrives")
    HardwareDeviceFactory.create(release=release, article=unsigned, name="CAP_PERFMON panel")
    search.index_rebuild()


FEEDS = [
    "/feeds/articles/",
    "/feeds/articles/?kind=feature",
    "/feeds/entities/syscall/faccessat2/",
    "/feeds/search/?q=CAP_PERFMON",
    "/feeds/search/?q=CAP_PERFMON&type=merge",
    "/feeds/search/?release=5.8",
]


@pytest.mark.parametrize("url", FEEDS)
def test_it_serves_valid_atom_from_every_feed(url: str, client: Client, indexed: None) -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    for article in ArticleFactory._meta.model.objects.all():
        Mention.objects.create(entity=entity, article=article)
    root = valid_atom(client.get(url))
    assert root.findall(f"{ATOM}entry"), "a feed with entries, so they are checked too"
    # The feed's id and its self link are the URL asked, query included.
    assert root.findtext(f"{ATOM}id") == f"http://testserver{url}"
    assert self_link(root) == f"http://testserver{url}"


def test_it_gives_every_feed_its_own_id(client: Client, indexed: None) -> None:
    ids = {etree.fromstring(client.get(url).content).findtext(f"{ATOM}id") for url in FEEDS[:2]}
    assert len(ids) == 2


def test_it_names_lwn_as_the_author_of_an_unsigned_entry(client: Client, indexed: None) -> None:
    for url in ("/feeds/articles/", "/feeds/search/?q=CAP_PERFMON"):
        authors = [e.author for e in feedparser.parse(client.get(url).content).entries]
        assert "Jonathan Corbet" in authors
        assert NO_BYLINE in authors


def test_it_dates_every_search_entry_even_an_undated_one(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No indexed type lacks a date today; a hit without one still gets a fixed <updated>."""
    hit = search.SearchHit(
        type="hardware", id=7, lwn_id=None, title="A panel", url="", snippet="a panel",
        score=None, date=None, release="5.8", section="",
    )  # fmt: skip

    def undated(**kwargs: Any) -> search.SearchResults:
        return search.SearchResults(
            query="panel", count=1, hits=[hit], facets=search.Facets(), page=1, page_size=50
        )

    monkeypatch.setattr(search, "archive_search", undated)
    first = client.get("/feeds/search/", {"q": "panel"})
    (entry,) = valid_atom(first).iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00+00:00"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == NO_BYLINE
    # Fixed, so the body and its ETag do not change from one request to the next.
    assert client.get("/feeds/search/", {"q": "panel"})["ETag"] == first["ETag"]


def test_it_filters_the_search_feed_as_the_api_does(client: Client, indexed: None) -> None:
    def titles(**params: str) -> list[str]:
        feed = feedparser.parse(client.get("/feeds/search/", params).content)
        return sorted(entry.title for entry in feed.entries)

    api = client.get("/api/v1/search/", {"q": "CAP_PERFMON", "type": "merge"}).json()
    assert titles(q="CAP_PERFMON", type="merge") == sorted(h["title"] for h in api["results"])
    assert len(titles(q="CAP_PERFMON")) == 4
    assert titles(q="CAP_PERFMON", type="article", before="2020-06-05") == [
        "Brief news on CAP_PERFMON"
    ]


def test_it_takes_exactly_the_search_apis_parameters() -> None:
    """A parameter added to the search API must reach the feed too (or be said to be ignored)."""
    assert set(SearchFeedParams.base_fields) == set(SearchParamsSerializer().fields)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"q": "x", "type": "novel"}, "type"),
        ({"q": "x", "release": "abc"}, "release"),
        ({"q": "x", "after": "2020-13-01"}, "after"),
        ({"q": "x", "page_size": "100000"}, "page_size"),
        ({}, "q"),
    ],
)
def test_it_refuses_what_the_search_api_refuses(
    params: dict[str, str], named: str, client: Client
) -> None:
    assert client.get("/api/v1/search/", params).status_code == 400
    response = client.get("/feeds/search/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert named in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/feeds/articles/?kind=novel", 400),
        ("get", "/feeds/entities/syscall/openat2/", 404),
        ("get", "/feeds/search/?type=novel", 400),
        ("post", "/feeds/articles/", 405),
        ("post", "/feeds/search/?q=x", 405),
    ],
)
def test_it_answers_feed_errors_in_plain_text(
    method: str, url: str, status: int, client: Client
) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"<" not in response.content
    assert response.content.strip()


@pytest.mark.parametrize("url", ["/feeds/articles/", "/feeds/search/?q=CAP_PERFMON"])
def test_it_lets_any_cache_keep_a_feed_for_public_max_age(
    url: str, client: Client, subscriber: Any, indexed: None
) -> None:
    with override_settings(PUBLIC_MAX_AGE=60):
        assert client.get(url)["Cache-Control"] == "public, max-age=60"
        client.force_login(subscriber)  # a feed is the anonymous one whoever asks
        assert client.get(url)["Cache-Control"] == "public, max-age=60"
    assert client.get(url)["Cache-Control"] == "no-cache"  # 0 with debug on


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
    unavailable = client.get("/feeds/search/", {"q": "x"})
    assert unavailable.status_code == 503
    assert unavailable["Content-Type"] == "text/plain; charset=utf-8"
    assert unavailable["Retry-After"] == "60"
