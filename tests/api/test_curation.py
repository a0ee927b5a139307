"""Mention curation over HTTP: accept, reject and add, for curators and staff, with who and when."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from articles.models import Entity, Mention
from tests.api.conftest import API
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

pytestmark = pytest.mark.django_db
MENTIONS = f"{API}/mentions/"


@pytest.fixture
def entity() -> Entity:
    return Entity.objects.create(kind="syscall", name="faccessat2")


@pytest.fixture
def mention(entity: Entity) -> Mention:
    return Mention.objects.create(
        entity=entity, article=ArticleFactory.create(), sentence="It adds faccessat2()."
    )


@pytest.mark.parametrize(("decision", "status"), [("accept", "accepted"), ("reject", "rejected")])
@pytest.mark.parametrize("persona", ["curator", "staff"])
def test_it_records_a_decision_with_who_and_when(
    decision: str,
    status: str,
    persona: str,
    mention: Mention,
    request: pytest.FixtureRequest,
    client_as: Callable[[str], APIClient],
) -> None:
    user: User = request.getfixturevalue(persona)
    response = client_as(persona).post(f"{MENTIONS}{mention.pk}/{decision}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == status
    assert body["curated_by"] == user.username
    assert {k: body["entity"][k] for k in ("kind", "name")} == {
        "kind": "syscall",
        "name": "faccessat2",
    }
    assert body["entity"]["url"] == "http://testserver/api/v1/entities/syscall/faccessat2/"
    lwn_id = mention.article.lwn_id  # type: ignore[union-attr]
    assert body["target"] == {
        "type": "article",
        "id": lwn_id,
        "url": f"http://testserver/api/v1/articles/{lwn_id}/",
    }
    assert body["url"] == f"http://testserver/api/v1/mentions/{mention.pk}/"
    mention.refresh_from_db()
    assert (mention.status, mention.curated_by) == (status, user)
    assert mention.curated_at is not None
    assert body["curated_at"] is not None


def test_a_rejected_mention_leaves_the_entitys_page(
    mention: Mention, client_as: Callable[[str], APIClient]
) -> None:
    entity_url = f"{API}/entities/syscall/faccessat2/"
    before = client_as("curator").get(entity_url).json()
    client_as("curator").post(f"{MENTIONS}{mention.pk}/reject/")
    after = client_as("curator").get(entity_url).json()
    assert after != before
    assert "It adds faccessat2()." not in str(after)


def _targets() -> dict[str, Callable[[], tuple[str, int | None]]]:
    release = lambda: KernelReleaseFactory.create(version="6.1")  # noqa: E731
    return {
        "article": lambda: ("article", ArticleFactory.create().lwn_id),
        "comment": lambda: ("comment", CommentFactory.create().lwn_id),
        "merge_item": lambda: ("merge_item", MergeWindowItemFactory.create(release=release()).pk),
        "hardware": lambda: ("hardware", HardwareDeviceFactory.create(release=release()).pk),
    }


@pytest.mark.parametrize("target", list(_targets()))
def test_it_adds_a_mention_to_any_kind_of_text(
    target: str, entity: Entity, curator: User, client_as: Callable[[str], APIClient]
) -> None:
    field, key = _targets()[target]()
    body = {"kind": "syscall", "name": "faccessat2()", field: key, "sentence": "By hand."}
    response = client_as("curator").post(MENTIONS, body, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert {k: made["target"][k] for k in ("type", "id")} == {"type": field, "id": key}
    # The target's url is the endpoint that takes that id.
    assert client_as("curator").get(made["target"]["url"]).json()["url"] == made["target"]["url"]
    assert (made["source"], made["status"], made["curated_by"]) == (
        "curated",
        "accepted",
        curator.username,
    )
    assert made["sentence"] == "By hand."
    assert Mention.objects.get(pk=made["id"]).entity == entity


def test_adding_takes_over_a_rejected_mention_of_the_same_pair(
    mention: Mention, client_as: Callable[[str], APIClient]
) -> None:
    client = client_as("curator")
    client.post(f"{MENTIONS}{mention.pk}/reject/")
    body = {"kind": "syscall", "name": "faccessat2", "article": mention.article.lwn_id}  # type: ignore[union-attr]
    response = client.post(MENTIONS, body, format="json")
    assert response.status_code == 201
    assert response.json()["id"] == mention.pk
    assert response.json()["status"] == "accepted"
    assert Mention.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),  # "" for an error about the body as a whole
    [
        ({"kind": "syscall", "name": "faccessat2"}, ""),
        ({"kind": "syscall", "name": "faccessat2", "article": 1, "hardware": 1}, ""),
        ({"kind": "syscall", "name": "no_such_call", "article": 1}, "name"),
        ({"kind": "syscall", "name": "faccessat2", "article": 999999}, "article"),
        ({"kind": "syscall", "name": "faccessat2", "merge_item": 999999}, "merge_item"),
        ({"kind": "planet", "name": "faccessat2", "article": 1}, "kind"),
        ({"kind": "syscall", "name": "faccessat2", "comment": "many"}, "comment"),
    ],
)
def test_it_refuses_bad_additions_naming_the_field(
    body: dict[str, Any], field: str, entity: Entity, client_as: Callable[[str], APIClient]
) -> None:
    ArticleFactory.create(lwn_id=1)
    response = client_as("curator").post(MENTIONS, body, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    if field:
        assert field in body["errors"]
    else:  # about the whole body, not one field: said in detail, no field errors
        assert body["detail"].startswith("Give exactly one of article, comment")
    assert not Mention.objects.exists()


def test_it_answers_404_for_an_unknown_mention(
    mention: Mention, client_as: Callable[[str], APIClient]
) -> None:
    assert client_as("curator").post(f"{MENTIONS}{mention.pk + 1000}/accept/").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 401), ("subscriber", 403)])
def test_it_lets_only_curators_and_staff_curate(
    persona: str, status: int, mention: Mention, client_as: Callable[[str], APIClient]
) -> None:
    client = client_as(persona)
    body = {"kind": "syscall", "name": "faccessat2", "article": mention.article.lwn_id}  # type: ignore[union-attr]
    assert client.post(f"{MENTIONS}{mention.pk}/accept/").status_code == status
    assert client.post(f"{MENTIONS}{mention.pk}/reject/").status_code == status
    assert client.post(MENTIONS, body, format="json").status_code == status
    assert client.get(MENTIONS).status_code == status
    assert client.get(f"{MENTIONS}{mention.pk}/").status_code == status
    mention.refresh_from_db()
    assert (mention.status, mention.curated_by) == ("pending", None)


def test_it_lists_the_review_queue_with_ids_and_filters(
    mention: Mention, entity: Entity, curator: User, client_as: Callable[[str], APIClient]
) -> None:
    other = Entity.objects.create(kind="capability", name="CAP_BPF")
    decided = Mention.objects.create(entity=other, article=mention.article, status="accepted")
    client = client_as("curator")
    everything = client.get(MENTIONS).json()["results"]
    assert {m["id"] for m in everything} == {mention.pk, decided.pk}
    pending = client.get(MENTIONS, {"status": "pending"}).json()["results"]
    assert [m["id"] for m in pending] == [mention.pk]
    named = client.get(MENTIONS, {"kind": "capability", "name": "cap_bpf"}).json()["results"]
    assert [m["id"] for m in named] == [decided.pk]
    lwn_id = str(mention.article.lwn_id)  # type: ignore[union-attr]
    assert len(client.get(MENTIONS, {"article": lwn_id}).json()["results"]) == 2
    one = client.get(f"{MENTIONS}{mention.pk}/").json()
    assert (one["id"], one["status"], one["curated_by"]) == (mention.pk, "pending", None)


def test_it_lists_mentions_in_a_fixed_number_of_queries(
    entity: Entity,
    client_as: Callable[[str], APIClient],
    django_assert_max_num_queries: Callable[[int], Any],
) -> None:
    client = client_as("curator")
    for _ in range(3):
        Mention.objects.create(entity=entity, comment=CommentFactory.create())
    client.get(MENTIONS)  # warm the session and permission caches alike for both runs
    with django_assert_max_num_queries(10) as few:
        client.get(MENTIONS)
    for _ in range(10):
        Mention.objects.create(entity=entity, article=ArticleFactory.create())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(MENTIONS).json()["results"]) == 13


def test_it_refuses_other_methods(mention: Mention, client_as: Callable[[str], APIClient]) -> None:
    client = client_as("curator")
    assert client.get(f"{MENTIONS}{mention.pk}/accept/").status_code == 405
    assert client.delete(f"{MENTIONS}{mention.pk}/").status_code == 405
    assert client.put(f"{MENTIONS}{mention.pk}/", {}, format="json").status_code == 405


def test_it_lists_mentions_without_reading_their_texts(
    entity: Entity, client_as: Callable[[str], APIClient]
) -> None:
    client = client_as("curator")
    Mention.objects.create(entity=entity, comment=CommentFactory.create())
    Mention.objects.create(entity=entity, article=ArticleFactory.create())
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(MENTIONS).json()["results"]) == 2
    read = " ".join(q["sql"] for q in queries.captured_queries)
    # The answer names each text by its id only: its body is not read.
    for column in ("body_html", "body_text", '"articles_mergewindowitem"."text"'):
        assert column not in read
