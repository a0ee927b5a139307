"""Every object links to itself (``url``), its page here (``html_url``) and lwn.net (``lwn_url``).

Links are absolute and lead somewhere: each test follows them over the sample pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from articles.models import Comment, Entity, HardwareDevice, Mention, MergeWindowItem
from tests.api.conftest import API, Archive
from tests.api.samples import LISTS, samples, walk
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db
__all__ = ["samples"]  # a fixture

HOST = "http://testserver"
# What each list's items are keyed by in their own URL.
KEYS = {
    "editions": "lwn_id",
    "articles": "lwn_id",
    "comments": "lwn_id",
    "releases": "version",
    "merge-window-items": "id",
    "hardware": "id",
}


def page_path(url: str) -> str:
    return url.removeprefix(HOST).split("#")[0]


def get_json(client: APIClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return response.json()


def test_it_links_every_listed_object_to_itself_and_its_page(samples: None, api: APIClient) -> None:
    for name, key in KEYS.items():
        for item in get_json(api, f"{API}/{name}/")["results"][:3]:
            assert item["url"] == f"{HOST}{API}/{name}/{item[key]}/", name
            assert get_json(api, item["url"])["url"] == item["url"]
            assert item["html_url"].startswith(f"{HOST}/"), name
            assert api.get(page_path(item["html_url"])).status_code == 200, item["html_url"]


def test_it_makes_every_link_in_an_answer_absolute(samples: None, api: APIClient) -> None:
    urls = [*LISTS.values(), f"{API}/articles/821729/", f"{API}/releases/5.8/"]
    urls += [f"{API}/entities/syscall/faccessat2/", f"{API}/editions/822335/"]
    for url in urls:
        for path, value in walk(get_json(api, url)):
            if path.endswith("url") and value is not None:
                assert value.startswith(("http://testserver/", "https://lwn.net/")), (url, path)


def test_it_gives_articles_their_lwn_url_apart_from_their_api_url(
    samples: None, api: APIClient
) -> None:
    article = get_json(api, f"{API}/articles/821729/")
    assert article["url"] == f"{HOST}{API}/articles/821729/"
    assert article["html_url"] == f"{HOST}/articles/821729/"
    assert article["lwn_url"] == "https://lwn.net/Articles/821729/"
    assert get_json(api, article["comments_url"])["article"] == 821729
    assert get_json(api, article["edition_url"])["lwn_id"] == article["edition"]


def test_it_writes_null_links_for_an_article_without_an_lwn_id(api: APIClient) -> None:
    ArticleFactory.create(lwn_id=None, url="", title="A brief item")
    item = get_json(api, f"{API}/articles/")["results"][0]
    assert (item["url"], item["html_url"], item["lwn_url"], item["comments_url"]) == (
        None,
        None,
        None,
        None,
    )


def test_it_links_comments_to_their_article_and_parent(api: APIClient) -> None:
    article = ArticleFactory.create(lwn_id=7000)
    root = CommentFactory.create(article=article, lwn_id=7001, thread_position=0)
    CommentFactory.create(article=article, lwn_id=7002, parent=root, depth=1, thread_position=1)
    reply = get_json(api, f"{API}/comments/7002/")
    assert reply["article_url"] == f"{HOST}{API}/articles/7000/"
    assert reply["parent_url"] == f"{HOST}{API}/comments/7001/"
    assert reply["html_url"] == f"{HOST}/articles/7000/#c7002"
    assert reply["lwn_url"] == "https://lwn.net/Articles/7002/"


def test_it_links_items_devices_and_releases_to_each_other(samples: None, api: APIClient) -> None:
    item = get_json(api, f"{API}/merge-window-items/")["results"][0]
    release = get_json(api, item["release_url"])
    assert release["version"] == item["release"]
    assert item["html_url"] == f"{release['html_url']}#item-{item['id']}"
    assert get_json(api, item["article_url"])["lwn_id"] == item["article"]
    listed = get_json(api, release["items_url"])
    assert listed["count"] == release["item_count"]
    assert {i["release"] for i in listed["results"]} == {release["version"]}
    devices = get_json(api, release["hardware_url"])
    assert devices["count"] == release["device_count"] > 0
    device = devices["results"][0]
    assert get_json(api, device["release_url"])["url"] == release["url"]
    assert device["html_url"] == (
        f"{HOST}/hardware/?release={device['release']}&category={device['category']}"
    )
    articles = get_json(api, release["articles_url"])["results"]
    assert item["article"] in {a["lwn_id"] for a in articles}
    detail = get_json(api, release["url"])
    assert detail["groups"][0]["items"][0]["url"].startswith(f"{HOST}{API}/merge-window-items/")
    assert detail["articles"][0]["url"].startswith(f"{HOST}{API}/articles/")
    assert detail["previous_url"] is None or get_json(api, detail["previous_url"])


def test_it_gives_the_introducing_item_as_api_and_page_links(samples: None, api: APIClient) -> None:
    entity = Entity.objects.filter(introduced_in__isnull=False).order_by("pk").first()
    assert entity is not None
    body = get_json(api, f"{API}/entities/{entity.kind}/{entity.name.lstrip('/')}/")
    introduced = body["introduced_in"]
    assert introduced["url"] == f"{HOST}{API}/merge-window-items/{entity.introduced_in_id}/"
    assert get_json(api, introduced["url"])["id"] == entity.introduced_in_id
    assert introduced["html_url"].startswith(f"{HOST}/releases/")
    assert get_json(api, introduced["release_url"])["version"] == body["introduced"]
    assert body["introduced_url"] == introduced["release_url"]
    assert get_json(api, introduced["article"]["url"])["lwn_id"] == introduced["article"]["lwn_id"]
    assert "href" not in introduced


def test_it_links_each_mention_to_its_text(samples: None, api: APIClient) -> None:
    body = get_json(api, f"{API}/entities/syscall/faccessat2/")
    seen = set()
    for kind, mentions in body["mentions"].items():
        for mention in mentions:
            seen.add(kind)
            assert mention["html_url"].startswith(f"{HOST}/")
            target = mention["detail"]["url"]
            assert target is not None
            assert get_json(api, target)
            article = mention["article"]
            assert get_json(api, article["url"])["lwn_id"] == article["lwn_id"]
    assert seen >= {"merge_item"}
    for related in body["related"]:
        assert get_json(api, related["url"])["name"] == related["name"]


def hit_key(api: APIClient, hit: dict[str, Any]) -> Any:
    detail = get_json(api, hit["api_url"])
    return detail["id"] if hit["type"] in ("merge", "hardware") else detail["lwn_id"]


@pytest.mark.parametrize(
    ("type", "query"),
    [("article", "kernel"), ("comment", "kernel"), ("merge", "kernel"), ("hardware", "a")],
)
def test_it_gives_search_hits_the_id_and_url_their_endpoint_takes(
    samples: None, api: APIClient, type: str, query: str
) -> None:
    body = get_json(api, f"{API}/search/?q={query}&type={type}&page_size=5")
    assert body["results"], type
    for hit in body["results"]:
        assert hit["url"] == hit["api_url"]
        if hit["api_url"] is None:  # an article without an LWN id: no endpoint, no page
            assert (hit["type"], hit["id"], hit["html_url"]) == ("article", None, None)
            continue
        assert hit_key(api, hit) == hit["id"]
        assert api.get(page_path(hit["html_url"])).status_code == 200
        assert hit["lwn_url"] is None or hit["lwn_url"].startswith("https://lwn.net/")
    first = body["results"][0]
    if type == "comment":
        assert Comment.objects.filter(lwn_id=first["id"]).exists()
    elif type == "merge":
        assert MergeWindowItem.objects.filter(pk=first["id"]).exists()
    elif type == "hardware":
        assert HardwareDevice.objects.filter(pk=first["id"]).exists()


def test_it_lists_an_articles_entities(samples: None, api: APIClient) -> None:
    plain = ArticleFactory.create(lwn_id=7100, body_text="no names here")
    assert get_json(api, f"{API}/articles/{plain.lwn_id}/")["entities"] == []
    merge = get_json(api, f"{API}/articles/821534/")  # a merge-window summary
    assert merge["entities"], "the 5.8 merge window names entities"
    counts = [e["mentions"] for e in merge["entities"]]
    assert counts == sorted(counts, reverse=True)
    first = merge["entities"][0]
    assert get_json(api, first["url"])["name"] == first["name"]
    assert api.get(page_path(first["html_url"])).status_code == 200
    named = get_json(api, f"{API}/entities/?article=821534&page_size=100")
    assert {(e["kind"], e["name"]) for e in named["results"]} == {
        (e["kind"], e["name"]) for e in merge["entities"]
    }


def test_it_filters_entities_by_comment(api: APIClient) -> None:
    comment = CommentFactory.create(lwn_id=8001)
    other = CommentFactory.create(lwn_id=8002)
    named = Entity.objects.create(kind="syscall", name="faccessat2")
    elsewhere = Entity.objects.create(kind="syscall", name="openat2")
    Mention.objects.create(entity=named, comment=comment)
    Mention.objects.create(entity=elsewhere, comment=other)
    body = get_json(api, f"{API}/entities/?comment=8001")
    assert [e["name"] for e in body["results"]] == ["faccessat2"]
    assert get_json(api, f"{API}/entities/?comment=9999")["results"] == []


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999"])
@pytest.mark.parametrize("name", ["article", "comment"])
def test_it_refuses_malformed_entity_filters(api: APIClient, name: str, value: str) -> None:
    response = api.get(f"{API}/entities/", {name: value})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {name}


def test_it_says_no_such_entity(api: APIClient) -> None:
    for url in (f"{API}/entities/syscall/nosuch/", f"{API}/entities/syscall/nosuch/mentions/"):
        response = api.get(url)
        assert response.status_code == 404
        assert response.json()["detail"] == "No such entity"


LISTED: list[tuple[str, str, int]] = [
    ("articles", f"{API}/articles/", 3),
    ("editions", f"{API}/editions/", 2),
    ("comments", f"{API}/comments/", 2),
    ("releases", f"{API}/releases/", 2),
    ("merge-window-items", f"{API}/merge-window-items/", 2),
    ("hardware", f"{API}/hardware/", 2),
    # On PostgreSQL the entity list reads the locked articles first (their texts' mentions
    # come off the kept totals; none here).
    ("entities", f"{API}/entities/", 3 if connection.vendor == "postgresql" else 2),
]


@pytest.mark.parametrize(("name", "url", "queries"), LISTED, ids=[n for n, _, _ in LISTED])
def test_it_runs_the_same_queries_for_one_row_or_fifty(
    name: str,
    url: str,
    queries: int,
    api: APIClient,
    archive: Archive,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    archive.grow(10)
    for article in archive.articles:
        entity = Entity.objects.create(kind="syscall", name=f"call{article.pk}")
        Mention.objects.create(entity=entity, article=article)
    for size in (1, 50):
        with django_assert_num_queries(queries):  # type: ignore[attr-defined]
            response = api.get(url, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == (1 if size == 1 else response.json()["count"])
