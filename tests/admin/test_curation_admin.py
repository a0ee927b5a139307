"""Curation in admin leaves the same trail as over HTTP; the trail is read-only there."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.models import CurationEvent, Entity, Mention
from articles.services import audit
from tests.api.conftest import FUTURE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _entity_form(entity: Entity, aliases: list[str], **changes: object) -> dict[str, object]:
    return {
        "kind": entity.kind,
        "name": entity.name,
        "description": "",
        "aliases": json.dumps(aliases),
        "introduced_in": "",
        "introduced_release": "",
        **changes,
    }


def test_aliases_edited_in_the_change_form_are_recorded(staff_client: Client, staff: User) -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2", aliases=["old_one"])
    url = f"/admin/articles/entity/{entity.pk}/change/"
    response = staff_client.post(url, _entity_form(entity, ["FACCESSAT()", "other"]))
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.aliases == ["faccessat", "other"]  # stored as extraction names them
    events = CurationEvent.objects.order_by("pk")
    assert [(e.action, e.details["alias"], e.user) for e in events] == [
        ("alias_add", "faccessat", staff),
        ("alias_add", "other", staff),
        ("alias_remove", "old_one", staff),
    ]


def test_it_refuses_an_alias_that_is_another_entitys_name(staff_client: Client) -> None:
    Entity.objects.create(kind="syscall", name="openat2")
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    url = f"/admin/articles/entity/{entity.pk}/change/"
    response = staff_client.post(url, _entity_form(entity, ["openat2"]))
    assert response.status_code == 200
    assert "merge them" in str(response.context["adminform"].form.errors["aliases"])
    assert not CurationEvent.objects.exists()


def test_it_refuses_a_rename_onto_another_entitys_alias(staff_client: Client) -> None:
    Entity.objects.create(kind="syscall", name="openat2", aliases=["renameat"])
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    url = f"/admin/articles/entity/{entity.pk}/change/"
    response = staff_client.post(url, _entity_form(entity, [], name="renameat"))
    assert response.status_code == 200  # the form says so, rather than a server error
    assert "former name of openat2" in str(response.context["adminform"].form.errors["name"])


def test_free_now_in_admin_is_recorded_and_skips_free_articles(
    staff_client: Client, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    locked = ArticleFactory.create(subscriber_only=True, free_on=FUTURE)
    free = ArticleFactory.create()
    client = staff_client
    data = {"action": "mark_free_now", "_selected_action": [str(locked.pk), str(free.pk)]}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post("/admin/articles/article/", data).status_code == 302
    assert len(callbacks) == 1  # one re-index, of the article that changed
    event = CurationEvent.objects.get()
    assert (event.action, event.target_key, event.user) == (
        "article_free",
        str(locked.lwn_id),
        staff,
    )
    free.refresh_from_db()
    assert free.free_on is None


def test_the_trail_is_read_only_in_admin(staff_client: Client, staff: User) -> None:
    audit.curation_event_record(
        action="entity_rename",
        target_kind="entity",
        target_key="syscall/call0",
        user=staff,
        details={},
    )
    event = CurationEvent.objects.get()
    client = staff_client
    base = "/admin/articles/curationevent/"
    listing = client.get(base, {"action__exact": "entity_rename"})
    assert listing.status_code == 200
    assert "syscall/call0" in listing.content.decode()
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{event.pk}/delete/").status_code == 403
    page = client.get(f"{base}{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"{base}{event.pk}/change/", {"target_key": "x"}).status_code == 403
    event.refresh_from_db()
    assert event.target_key == "syscall/call0"


def test_a_status_changed_in_the_mention_form_is_recorded_from_before(
    staff_client: Client, staff: User
) -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    mention = Mention.objects.create(entity=entity, article=ArticleFactory.create(), sentence="s")
    url = f"/admin/articles/mention/{mention.pk}/change/"
    assert staff_client.post(url, {"sentence": "s", "status": "rejected"}).status_code == 302
    mention.refresh_from_db()
    assert (mention.status, mention.curated_by) == ("rejected", staff)
    event = CurationEvent.objects.get()
    assert (event.action, event.target_key) == ("mention_reject", str(mention.pk))
    assert (event.details["before"], event.details["after"]) == (
        {"status": "pending"},
        {"status": "rejected"},
    )
