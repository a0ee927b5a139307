"""Entity and article curation over HTTP: rename, merge, aliases, free now, each recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, CurationEvent, Entity, Mention
from articles.services.linking import articles_link
from tests.api.conftest import API, FUTURE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
ENTITIES = f"{API}/entities"


@pytest.fixture
def entity() -> Entity:
    return Entity.objects.create(kind="syscall", name="faccessat")


@pytest.fixture
def curator_api(client_as: Callable[[str], APIClient]) -> APIClient:
    return client_as("curator")


def _last_event() -> CurationEvent:
    event = CurationEvent.objects.order_by("-pk").first()
    assert event is not None
    return event


def test_it_renames_and_the_old_urls_answer_301(
    entity: Entity, curator: User, curator_api: APIClient
) -> None:
    response = curator_api.post(
        f"{ENTITIES}/syscall/faccessat/rename/", {"name": "faccessat2()"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["name"], body["aliases"]) == ("faccessat2", ["faccessat"])
    assert body["url"].endswith("/api/v1/entities/syscall/faccessat2/")
    old = curator_api.get(f"{ENTITIES}/syscall/faccessat/")
    assert old.status_code == 301
    assert old["Location"] == body["url"]
    mentions = curator_api.get(f"{ENTITIES}/syscall/faccessat/mentions/?type=article")
    assert (mentions.status_code, mentions["Location"]) == (
        301,
        f"{body['url']}mentions/?type=article",
    )
    detail = curator_api.get(f"{ENTITIES}/syscall/faccessat2()/")
    assert (detail.status_code, detail.json()["aliases"]) == (200, ["faccessat"])
    event = _last_event()
    assert (event.action, event.target_key, event.user, event.username) == (
        "entity_rename",
        "syscall/faccessat2",
        curator,
        curator.username,
    )
    assert event.details["before"]["name"] == "faccessat"
    assert event.details["after"] == {"name": "faccessat2", "aliases": ["faccessat"]}


@pytest.mark.parametrize(
    ("kind", "old", "name", "message"),
    [
        ("release", "5.8", "banana", "not a valid kernel release name"),
        ("syscall", "faccessat", "openat2", "another syscall is already called openat2"),
        ("syscall", "faccessat", "renameat", "renameat is a former name of openat2"),
    ],
)
def test_it_refuses_a_bad_or_taken_name(
    kind: str, old: str, name: str, message: str, curator_api: APIClient
) -> None:
    entity = Entity.objects.create(kind=kind, name=old)
    Entity.objects.create(kind="syscall", name="openat2", aliases=["renameat"])
    response = curator_api.post(f"{ENTITIES}/{kind}/{old}/rename/", {"name": name}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert message in response.json()["errors"]["name"][0]
    entity.refresh_from_db()
    assert entity.name == old
    assert not CurationEvent.objects.exists()


@pytest.mark.parametrize("by_url", [False, True])
def test_it_merges_into_another_entity_moving_mentions(
    by_url: bool, entity: Entity, curator_api: APIClient
) -> None:
    survivor = Entity.objects.create(kind="syscall", name="faccessat2")
    article = ArticleFactory.create()
    Mention.objects.create(entity=entity, article=article)
    into: Any = (
        f"http://testserver{API}/entities/syscall/faccessat2/"
        if by_url
        else {"kind": "syscall", "name": "faccessat2"}
    )
    response = curator_api.post(
        f"{ENTITIES}/syscall/faccessat/merge/", {"into": into}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["name"], body["aliases"], body["mention_count"]) == (
        "faccessat2",
        ["faccessat"],
        1,
    )
    assert not Entity.objects.filter(pk=entity.pk).exists()
    assert Mention.objects.get().entity == survivor
    assert curator_api.get(f"{ENTITIES}/syscall/faccessat/")["Location"] == body["url"]
    event = _last_event()
    assert (event.action, event.target_key) == ("entity_merge", "syscall/faccessat2")
    assert event.details["merged"] == {"key": "syscall/faccessat", "aliases": []}
    assert event.details["mentions_moved"] == 1


def test_it_merges_path_entities_by_the_url_the_api_gives(curator_api: APIClient) -> None:
    Entity.objects.create(kind="path", name="/proc/pid/smaps")
    Entity.objects.create(kind="path", name="/proc/pid/maps")
    into = curator_api.get(f"{ENTITIES}/path/proc/pid/maps/").json()["url"]
    response = curator_api.post(
        f"{ENTITIES}/path/proc/pid/smaps/merge/", {"into": into}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["aliases"]) == (
        "/proc/pid/maps",
        ["/proc/pid/smaps"],
    )
    removed = curator_api.delete(f"{ENTITIES}/path/proc/pid/maps/aliases/proc/pid/smaps/")
    assert (removed.status_code, removed.json()["aliases"]) == (200, [])


@pytest.mark.parametrize(
    "into",
    [
        {"kind": "syscall", "name": "faccessat"},  # itself
        {"kind": "capability", "name": "CAP_BPF"},  # another kind
        {"kind": "syscall", "name": "no_such_call"},
        {"kind": "syscall"},
        f"{API}/articles/1/",
        "http://[bad",
        42,
        None,
    ],
)
def test_it_refuses_a_bad_merge_target(into: Any, entity: Entity, curator_api: APIClient) -> None:
    Entity.objects.create(kind="capability", name="CAP_BPF")
    response = curator_api.post(
        f"{ENTITIES}/syscall/faccessat/merge/", {"into": into}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["into"]
    assert Entity.objects.filter(pk=entity.pk).exists()
    assert not CurationEvent.objects.exists()


def test_an_added_alias_links_that_name_on_relink(entity: Entity, curator_api: APIClient) -> None:
    article = ArticleFactory.create(body_text="The new faccessat2() system call adds flags.")
    response = curator_api.post(
        f"{ENTITIES}/syscall/faccessat/aliases/", {"alias": "faccessat2()"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["aliases"] == ["faccessat2"]
    articles_link(article_ids=[article.pk])
    assert Mention.objects.get(article=article).entity == entity
    assert not Entity.objects.filter(name="faccessat2").exists()
    event = _last_event()
    assert (event.action, event.details["alias"]) == ("alias_add", "faccessat2")


def test_it_removes_an_alias(entity: Entity, curator_api: APIClient) -> None:
    entity.aliases = ["faccessat2", "faccessat3"]
    entity.save()
    response = curator_api.delete(f"{ENTITIES}/syscall/faccessat/aliases/faccessat2/")
    assert response.status_code == 200, response.json()
    assert response.json()["aliases"] == ["faccessat3"]
    event = _last_event()
    assert event.action == "alias_remove"
    assert event.details["after"] == {"aliases": ["faccessat3"]}
    again = curator_api.delete(f"{ENTITIES}/syscall/faccessat/aliases/faccessat2/")
    assert again.status_code == 404
    assert again.json()["detail"] == "faccessat has no alias faccessat2"


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("faccessat()", "is the entity's own name"),
        ("openat2", "already called openat2"),
        ("renameat", "a former name of openat2"),
    ],
)
def test_it_refuses_an_alias_another_entity_has(
    alias: str, message: str, entity: Entity, curator_api: APIClient
) -> None:
    Entity.objects.create(kind="syscall", name="openat2", aliases=["renameat"])
    response = curator_api.post(
        f"{ENTITIES}/syscall/faccessat/aliases/", {"alias": alias}, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["errors"]["alias"][0]
    assert Entity.objects.get(pk=entity.pk).aliases == []


def test_it_refuses_an_alias_not_valid_for_the_kind(curator_api: APIClient) -> None:
    Entity.objects.create(kind="release", name="5.8")
    response = curator_api.post(f"{ENTITIES}/release/5.8/aliases/", {"alias": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["alias"] == ["'x' is not a valid kernel release name"]


def test_adding_an_alias_twice_is_one_alias_and_one_event(
    entity: Entity, curator_api: APIClient
) -> None:
    for _ in range(2):
        url = f"{ENTITIES}/syscall/faccessat/aliases/"
        assert curator_api.post(url, {"alias": "FACCESSAT2"}, format="json").status_code == 200
    entity.refresh_from_db()
    assert entity.aliases == ["faccessat2"]
    assert CurationEvent.objects.count() == 1


def test_it_answers_404_for_an_unknown_entity(curator_api: APIClient) -> None:
    response = curator_api.post(
        f"{ENTITIES}/syscall/nosuch/rename/", {"name": "other"}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "No such entity.", "code": "not_found"}


def test_it_frees_a_locked_article_now_once(
    curator: User, curator_api: APIClient, subscriber: User, client_as: Callable[[str], APIClient]
) -> None:
    article = ArticleFactory.create(subscriber_only=True, free_on=FUTURE)
    assert client_as("anonymous").get(f"{API}/articles/{article.lwn_id}/").json()["locked"]
    response = curator_api.post(f"{API}/articles/{article.lwn_id}/free/")
    assert response.status_code == 200, response.json()
    today = timezone.now().date()
    assert response.json()["free_on"] == today.isoformat()
    assert response.json()["lwn_id"] == article.lwn_id
    assert not client_as("anonymous").get(f"{API}/articles/{article.lwn_id}/").json()["locked"]
    event = _last_event()
    assert (event.action, event.target_kind, event.target_key) == (
        "article_free",
        "article",
        str(article.lwn_id),
    )
    assert event.details == {
        "before": {"free_on": FUTURE.isoformat()},
        "after": {"free_on": today.isoformat()},
    }
    again = curator_api.post(f"{API}/articles/{article.lwn_id}/free/")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert CurationEvent.objects.count() == 1


def test_freeing_an_article_that_was_never_locked_is_a_conflict(curator_api: APIClient) -> None:
    article = ArticleFactory.create(subscriber_only=False)
    assert curator_api.post(f"{API}/articles/{article.lwn_id}/free/").status_code == 409
    assert curator_api.post(f"{API}/articles/999999/free/").status_code == 404
    article.refresh_from_db()
    assert article.free_on is None


def test_freeing_bumps_the_update_time_for_mirrors(curator_api: APIClient) -> None:
    article = ArticleFactory.create(subscriber_only=True, free_on=FUTURE)
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - dt.timedelta(days=1))
    before = Article.objects.get(pk=article.pk).updated_at
    curator_api.post(f"{API}/articles/{article.lwn_id}/free/")
    assert Article.objects.get(pk=article.pk).updated_at > before


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 401), ("subscriber", 403)])
def test_it_lets_only_curators_and_staff_change_entities(
    persona: str, status: int, entity: Entity, client_as: Callable[[str], APIClient]
) -> None:
    client = client_as(persona)
    article = ArticleFactory.create(subscriber_only=True, free_on=FUTURE)
    base = f"{ENTITIES}/syscall/faccessat"
    assert client.post(f"{base}/rename/", {"name": "x"}, format="json").status_code == status
    assert client.post(f"{base}/aliases/", {"alias": "x"}, format="json").status_code == status
    assert client.delete(f"{base}/aliases/x/").status_code == status
    assert client.post(f"{API}/articles/{article.lwn_id}/free/").status_code == status
    assert not CurationEvent.objects.exists()


def test_curation_writes_count_against_the_accounts_allowance(
    entity: Entity, curator_api: APIClient
) -> None:
    rates = {"anon": "2/min", "user": "3/min"}
    url = f"{ENTITIES}/syscall/faccessat/aliases/"
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        answers = [
            curator_api.post(url, {"alias": f"old{n}"}, format="json").status_code for n in range(4)
        ]
    assert answers == [200, 200, 200, 429]
    entity.refresh_from_db()
    assert entity.aliases == ["old0", "old1", "old2"]
