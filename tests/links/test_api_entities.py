"""``/api/v1/entities/`` and ``/api/v1/entities/<kind>/<name>/``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Entity, ImportRun, Mention
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response.json() if status == 200 else None


def test_it_lists_entities_with_filters(client: Client, linked_bigpage: ImportRun) -> None:
    body = get(client, "/api/v1/entities/?kind=capability")
    names = [row["name"] for row in body["results"]]
    assert sorted(names) == names
    assert {"CAP_BPF", "CAP_PERFMON", "CAP_SYS_ADMIN"} <= set(names)
    assert all(row["kind"] == "capability" for row in body["results"])
    introduced = get(client, "/api/v1/entities/?introduced=5.8")["results"]
    assert {(r["kind"], r["name"], r["introduced"]) for r in introduced} == {
        ("syscall", "faccessat2", "5.8"),
        ("capability", "CAP_PERFMON", "5.8"),
        ("capability", "CAP_BPF", "5.8"),
        ("knob", "memory.swap.high", "5.8"),
    }
    prefixed = get(client, "/api/v1/entities/?name=faccessat2()")["results"]
    assert [(r["name"], r["display_name"]) for r in prefixed] == [("faccessat2", "faccessat2()")]
    assert prefixed[0]["url"] == "http://testserver/api/v1/entities/syscall/faccessat2/"
    assert prefixed[0]["html_url"] == "http://testserver/entities/syscall/faccessat2/"


def test_it_paginates_the_list(client: Client, linked_bigpage: ImportRun) -> None:
    body = get(client, "/api/v1/entities/?page_size=5")
    assert body["count"] == Entity.objects.count()
    assert len(body["results"]) == 5
    assert "cursor=" in body["next"]
    assert body["previous"] is None


def test_it_shows_one_entity_with_its_introduction_and_grouped_mentions(
    client: Client, archive: dict[str, ImportRun]
) -> None:
    body = get(client, "/api/v1/entities/capability/cap_perfmon/")
    assert body["name"] == "CAP_PERFMON"
    assert body["introduced_in"]["release"] == "5.8"
    assert body["introduced_in"]["group"] == "Security-related"
    assert body["introduced_in"]["article"]["lwn_id"] == 821534
    assert set(body["mentions"]) == {"article", "merge_item", "hardware", "comment"}
    assert body["mention_counts"]["merge_item"] == 2
    assert body["mention_count"] == sum(body["mention_counts"].values())
    assert body["mention_counts"]["comment"] == len(body["mentions"]["comment"]) > 3
    item = next(m for m in body["mentions"]["merge_item"] if m["introduces"])
    assert item["sentence"].startswith("A new capability, CAP_PERFMON, has been added")
    assert item["detail"]["group"] == "Security-related"
    assert item["source"] == "auto"
    assert {r["name"] for r in body["related"]} >= {"CAP_BPF", "CAP_SYS_ADMIN"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/entities/syscall/faccessat2()/",
        "/api/v1/entities/path/proc/pid/map_files/",
        "/api/v1/entities/release/5.8/",
        "/api/v1/entities/person/Jonathan Corbet/",
    ],
)
def test_it_looks_entities_up_by_any_spelling(
    client: Client, linked_bigpage: ImportRun, url: str
) -> None:
    assert get(client, url)["name"]


def test_it_answers_404_for_unknown_entities(client: Client, linked_bigpage: ImportRun) -> None:
    get(client, "/api/v1/entities/syscall/copy_from_user/", status=404)


def _locked_sentences(body: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    return [(m["sentence"], m["locked_until"]) for m in body["mentions"]["article"]]


def test_it_hides_subscriber_only_sentences_from_anonymous_users_only(
    client: Client, archive: dict[str, ImportRun], subscriber: User
) -> None:
    free_on = timezone.now().date() + dt.timedelta(days=3)
    Article.objects.update(subscriber_only=True, free_on=free_on)
    anonymous = get(client, "/api/v1/entities/syscall/clone3/")
    assert _locked_sentences(anonymous) == [(None, free_on.isoformat())] * 2
    client.force_login(subscriber)
    subscribed = get(client, "/api/v1/entities/syscall/clone3/")
    assert all(sentence and until is None for sentence, until in _locked_sentences(subscribed))


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_answers_in_a_constant_number_of_queries(client: Client, db: None) -> None:
    entity = Entity.objects.create(kind="syscall", name="tee")
    for n in (2, 30):
        for _ in range(n):
            comment = CommentFactory.create(article=ArticleFactory.create())
            Mention.objects.create(entity=entity, comment=comment, sentence="tee()")
            Mention.objects.create(entity=entity, article=comment.article, sentence="tee()")
            Entity.objects.create(kind="config", name=f"CONFIG_X{Entity.objects.count()}")
        # Entity; four mention groups; their counts; related entities (on PostgreSQL the
        # kept pairs, after the locked articles whose texts' mentions come off them).
        pg = connection.vendor == "postgresql"
        assert _queries(client, "/api/v1/entities/syscall/tee/") == (8 if pg else 7)
        # Count and page (on PostgreSQL after the locked articles, as above).
        assert _queries(client, "/api/v1/entities/") == (3 if pg else 2)
