"""The curation trail: every decision recorded with who, when, before and after; read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from articles import search
from articles.models import CurationEvent, Entity, Mention
from articles.services import audit, curation
from articles.services.curation import entity_rename
from tests.api.conftest import API, FUTURE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
EVENTS = f"{API}/curation/events/"


@pytest.fixture
def mention() -> Mention:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    return Mention.objects.create(entity=entity, article=ArticleFactory.create())


@pytest.mark.parametrize(
    ("decision", "action", "after"),
    [("accept", "mention_accept", "accepted"), ("reject", "mention_reject", "rejected")],
)
def test_a_mention_decision_is_recorded(
    decision: str,
    action: str,
    after: str,
    mention: Mention,
    curator: User,
    client_as: Callable[[str], APIClient],
) -> None:
    client_as("curator").post(f"{API}/mentions/{mention.pk}/{decision}/")
    event = CurationEvent.objects.get()
    assert (event.action, event.target_kind, event.target_key, event.user) == (
        action,
        "mention",
        str(mention.pk),
        curator,
    )
    assert event.details == {
        "entity": "syscall/faccessat2",
        "before": {"status": "pending"},
        "after": {"status": after},
    }


def test_a_mention_added_by_hand_is_recorded_with_its_text(
    mention: Mention, client_as: Callable[[str], APIClient]
) -> None:
    article = ArticleFactory.create()
    body = {"kind": "syscall", "name": "faccessat2", "article": article.lwn_id}
    made = client_as("staff").post(f"{API}/mentions/", body, format="json").json()
    event = CurationEvent.objects.get()
    assert (event.action, event.target_key, event.username) == (
        "mention_add",
        str(made["id"]),
        "stella_staff",
    )
    assert event.details["target"] == {"type": "article", "id": article.lwn_id}
    assert event.details["before"] is None  # a new mention, not one taken over


def test_a_change_and_its_record_commit_together(monkeypatch: pytest.MonkeyPatch) -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat")

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the trail is down")

    monkeypatch.setattr(curation, "curation_events_record", broken)
    with pytest.raises(RuntimeError):
        entity_rename(entity=entity, name="faccessat2", user=User(pk=None))
    entity.refresh_from_db()
    assert (entity.name, entity.aliases) == ("faccessat", [])


def _events(n: int) -> None:
    for index in range(n):
        audit.curation_event_record(
            action="alias_add" if index % 2 else "entity_rename",
            target_kind="entity",
            target_key=f"syscall/call{index}",
            user=User(pk=None),
            details={"n": index},
        )


def test_it_lists_events_newest_first_by_cursor_with_filters(
    client_as: Callable[[str], APIClient],
) -> None:
    _events(5)
    client = client_as("curator")
    first = client.get(EVENTS, {"page_size": 2})
    assert first.status_code == 200
    body = first.json()
    assert body["count"] == 5
    assert [e["target_key"] for e in body["results"]] == ["syscall/call4", "syscall/call3"]
    assert 'rel="next"' in first["Link"]
    second = client.get(body["next"]).json()
    assert [e["details"] for e in second["results"]] == [{"n": 2}, {"n": 1}]
    renames = client.get(EVENTS, {"action": "entity_rename"}).json()["results"]
    assert [e["target_key"] for e in renames] == ["syscall/call4", "syscall/call2", "syscall/call0"]
    one = client.get(f"{EVENTS}{renames[0]['id']}/").json()
    assert set(one) == {"id", "action", "target_kind", "target_key", "user", "at", "details"}
    keyed = client.get(EVENTS, {"target_key": "syscall/call1"}).json()["results"]
    assert [e["action"] for e in keyed] == ["alias_add"]


@pytest.mark.parametrize("query", [{"action": "explode"}, {"target_kind": "planet"}])
def test_it_refuses_unknown_filter_values(
    query: dict[str, str], client_as: Callable[[str], APIClient]
) -> None:
    response = client_as("staff").get(EVENTS, query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(query)


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 401), ("subscriber", 403)])
def test_only_curators_and_staff_read_the_trail(
    persona: str, status: int, client_as: Callable[[str], APIClient]
) -> None:
    _events(1)
    event = CurationEvent.objects.get()
    assert client_as(persona).get(EVENTS).status_code == status
    assert client_as(persona).get(f"{EVENTS}{event.pk}/").status_code == status
    assert client_as("curator").delete(f"{EVENTS}{event.pk}/").status_code == 405


def test_it_lists_events_in_a_fixed_number_of_queries(
    client_as: Callable[[str], APIClient],
    django_assert_max_num_queries: Callable[[int], Any],
) -> None:
    client = client_as("curator")
    _events(2)
    client.get(EVENTS)  # warm the session and permission caches alike for both runs
    with django_assert_max_num_queries(8) as few:
        client.get(EVENTS)
    _events(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(EVENTS).json()["results"]) == 22


def test_free_now_over_http_opens_search(
    client_as: Callable[[str], APIClient], django_capture_on_commit_callbacks: Any
) -> None:
    article = ArticleFactory.create(
        title="Folios",
        body_text="Folios and zebrafish pages.",
        subscriber_only=True,
        free_on=FUTURE,
    )
    search.index_rebuild()
    anonymous = client_as("anonymous")
    assert "zebrafish" not in anonymous.get(f"{API}/search/", {"q": "folios"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_as("curator").post(f"{API}/articles/{article.lwn_id}/free/")
    assert "zebrafish" in anonymous.get(f"{API}/search/", {"q": "folios"}).content.decode()
