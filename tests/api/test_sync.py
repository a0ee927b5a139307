"""``updated_after`` on every list and the deletions list: the parts a mirror relies on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Model
from rest_framework.test import APIClient

from articles.api.formats import iso_datetime
from articles.api.sync import time_parse
from articles.models import (
    Article,
    Comment,
    Edition,
    Entity,
    HardwareDevice,
    ImportRun,
    KernelRelease,
    Mention,
    MergeWindowItem,
    Tombstone,
)
from articles.services.curation import entities_merge, entity_rename
from tests.api.conftest import API, Archive, page_plan
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
NEW = dt.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
MIDDLE = "2022-01-01T00:00:00Z"

# Each list, who may read it, the model behind it, and the key it shows for a row.
LISTS: list[tuple[str, str, type[Model], Callable[[Any], object]]] = [
    ("editions", "anonymous", Edition, lambda row: row.lwn_id),
    ("articles", "anonymous", Article, lambda row: row.lwn_id),
    ("comments", "anonymous", Comment, lambda row: row.lwn_id),
    ("releases", "anonymous", KernelRelease, lambda row: row.version),
    ("merge-window-items", "anonymous", MergeWindowItem, lambda row: row.pk),
    ("hardware", "anonymous", HardwareDevice, lambda row: row.pk),
    ("entities", "anonymous", Entity, lambda row: row.name),
    ("mentions", "curator", Mention, lambda row: row.pk),
    ("import-runs", "staff", ImportRun, lambda row: row.pk),
]
KEY_FIELD = {"releases": "version", "entities": "name", "editions": "lwn_id"}
KEY_FIELD |= {"articles": "lwn_id", "comments": "lwn_id"}


def _key(resource: str, row: dict[str, Any]) -> object:
    return row[KEY_FIELD.get(resource, "id")]


@pytest.fixture
def linked(archive: Archive) -> Archive:
    """The archive grown by three, with an entity mentioned in each article."""
    archive.grow(3)
    for number, article in enumerate(archive.articles):
        entity = Entity.objects.create(kind="syscall", name=f"call{number}")
        Mention.objects.create(entity=entity, article=article)
    return archive


@pytest.mark.parametrize(("resource", "persona", "model", "key_of"), LISTS)
def test_it_lists_only_rows_changed_after_the_time_with_their_updated_at(
    linked: Archive,
    client_as: Callable[[str], APIClient],
    resource: str,
    persona: str,
    model: type[Model],
    key_of: Callable[[Any], object],
) -> None:
    model._default_manager.update(updated_at=OLD)
    changed = model._default_manager.order_by("pk").last()
    model._default_manager.filter(pk=changed.pk).update(updated_at=NEW)  # type: ignore[union-attr]
    response = client_as(persona).get(f"{API}/{resource}/", {"updated_after": MIDDLE})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [_key(resource, row) for row in body["results"]] == [key_of(changed)]
    assert body["count"] == 1
    assert body["results"][0]["updated_at"] == iso_datetime(NEW)


@pytest.mark.parametrize(("resource", "persona", "model", "key_of"), LISTS)
def test_it_sorts_by_update_time_then_id_whatever_the_list_sorts_by(
    linked: Archive,
    client_as: Callable[[str], APIClient],
    resource: str,
    persona: str,
    model: type[Model],
    key_of: Callable[[Any], object],
) -> None:
    rows = list(model._default_manager.order_by("pk"))
    # Newest row changed first: update order is the reverse of the id order.
    for offset, row in enumerate(reversed(rows)):
        model._default_manager.filter(pk=row.pk).update(updated_at=NEW + dt.timedelta(offset))
    response = client_as(persona).get(f"{API}/{resource}/", {"updated_after": MIDDLE})
    keys = [_key(resource, row) for row in response.json()["results"]]
    assert keys == [key_of(row) for row in reversed(rows)]


def test_it_pages_rows_sharing_one_update_time_without_gaps_or_repeats(
    api: APIClient,
) -> None:
    article = ArticleFactory.create()
    CommentFactory.create_batch(23, article=article)
    Comment.objects.update(updated_at=NEW)  # one bulk write, one timestamp
    url: str | None = f"{API}/comments/?updated_after={MIDDLE}&page_size=4"
    seen: list[int] = []
    pages = 0
    while url:
        body = api.get(url).json()
        seen += [row["lwn_id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert sorted(seen) == sorted(Comment.objects.values_list("lwn_id", flat=True))
    assert len(seen) == len(set(seen)) == 23
    assert pages == 6


def test_it_walks_back_with_previous_over_equal_update_times(api: APIClient) -> None:
    CommentFactory.create_batch(7, article=ArticleFactory.create())
    Comment.objects.update(updated_at=NEW)
    first = api.get(f"{API}/comments/", {"updated_after": MIDDLE, "page_size": "3"}).json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert back["results"] == first["results"]


@pytest.mark.parametrize(
    "value", ["yesterday", "2024-13-01", "2024-05-01T25:00:00Z", "0001-01-01T00:00:00+01:00"]
)
def test_it_answers_400_naming_updated_after_when_it_is_no_time(api: APIClient, value: str) -> None:
    response = api.get(f"{API}/articles/", {"updated_after": value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["updated_after"]
    assert "ISO 8601" in body["errors"]["updated_after"][0]


def test_it_answers_400_when_ordering_comes_with_updated_after(api: APIClient) -> None:
    response = api.get(f"{API}/articles/", {"updated_after": MIDDLE, "ordering": "title"})
    assert response.status_code == 400
    assert "drop ordering" in response.json()["errors"]["ordering"][0]


def test_it_keeps_the_list_order_without_updated_after(linked: Archive, api: APIClient) -> None:
    titles = [row["title"] for row in api.get(f"{API}/articles/?ordering=title").json()["results"]]
    assert titles == sorted(titles)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-01T12:00:00Z", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)),
        ("2024-05-01T14:00:00+02:00", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)),
        # "+02:00" unencoded in a query string arrives as " 02:00".
        ("2024-05-01T14:00:00 02:00", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)),
        ("2024-05-01T12:00:00", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)),
        ("2024-05-01", dt.datetime(2024, 5, 1, tzinfo=dt.UTC)),
        ("2024-05-01T12:00:00.123456Z", NEW),
    ],
)
def test_it_reads_iso_times_with_or_without_an_offset(raw: str, expected: dt.datetime) -> None:
    assert time_parse(raw) == expected


def test_it_takes_back_the_updated_at_it_wrote(linked: Archive, api: APIClient) -> None:
    """A client resumes with the last ``updated_at`` it saw, verbatim: nothing repeats."""
    rows = api.get(f"{API}/comments/", {"updated_after": MIDDLE}).json()["results"]
    last = rows[-2]["updated_at"]
    again = api.get(f"{API}/comments/?updated_after={quote(last)}").json()["results"]
    assert again == rows[-1:]


# --- deletions ---------------------------------------------------------------------------

DELETIONS = f"{API}/deletions/"


def _deletions(client: APIClient, **params: str) -> list[tuple[str, str]]:
    response = client.get(DELETIONS, params)
    assert response.status_code == 200, response.content
    return [(row["kind"], row["key"]) for row in response.json()["results"]]


def test_it_leaves_a_tombstone_for_each_row_a_deleted_article_takes_with_it(
    linked: Archive, client_as: Callable[[str], APIClient]
) -> None:
    article = linked.articles[-1]
    comments = sorted(str(c.lwn_id) for c in article.comments.all())
    item, device = article.merge_items.get().pk, article.hardware.get().pk
    mention = Mention.objects.get(article=article).pk
    article.delete()
    public = _deletions(client_as("anonymous"))
    assert sorted(public) == sorted(
        [
            ("articles", str(article.lwn_id)),
            *(("comments", c) for c in comments),
            ("merge-window-items", str(item)),
            ("hardware", str(device)),
        ]
    )
    assert ("mentions", str(mention)) in _deletions(client_as("curator"))


def test_it_lists_deletions_after_a_time_and_by_kind(
    linked: Archive, client_as: Callable[[str], APIClient]
) -> None:
    linked.comments[1].delete()  # a reply: no cascade
    Tombstone.objects.update(deleted_at=OLD)
    linked.articles[1].hardware.get().delete()
    api = client_as("anonymous")
    assert [kind for kind, _ in _deletions(api, updated_after=MIDDLE)] == ["hardware"]
    assert [kind for kind, _ in _deletions(api, kind="comments")] == ["comments"]
    response = api.get(DELETIONS, {"kind": "nothing"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_it_names_merged_and_renamed_entities_by_their_old_keys(
    db: None, curator: User, api: APIClient
) -> None:
    source = Entity.objects.create(kind="syscall", name="faccessat")
    target = Entity.objects.create(kind="syscall", name="faccessat2")
    other = Entity.objects.create(kind="capability", name="CAP_PERFMON")
    Mention.objects.create(entity=source, article=ArticleFactory.create())
    entities_merge(source=source, target=target, user=curator)
    entity_rename(entity=other, name="CAP_BPF", user=curator)
    assert _deletions(api) == [
        ("entities", "syscall:faccessat"),
        ("entities", "capability:CAP_PERFMON"),
    ]
    target.refresh_from_db()
    assert target.updated_at > Tombstone.objects.get(key="syscall:faccessat").deleted_at


def test_it_keeps_an_item_without_an_lwn_id_out_of_the_deletions(db: None) -> None:
    ArticleFactory.create(lwn_id=None).delete()
    assert not Tombstone.objects.exists()


@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 2), ("curator", 6)])
def test_it_lists_deletions_in_a_fixed_number_of_queries(
    linked: Archive,
    client_as: Callable[[str], APIClient],
    django_assert_num_queries: Callable[[int], Any],
    persona: str,
    queries: int,
) -> None:
    client = client_as(persona)
    for article in linked.articles[:2]:
        article.delete()
        # count and page; a curator adds the session, the user and two permission lookups
        with django_assert_num_queries(queries):
            assert client.get(DELETIONS, {"updated_after": MIDDLE}).status_code == 200


def test_it_lists_the_deletions_at_the_api_root(api: APIClient) -> None:
    root = api.get(f"{API}/").json()
    assert root["deletions"].endswith("/api/v1/deletions/")


def test_it_documents_updated_after_on_every_list(api: APIClient) -> None:
    schema = api.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    lists = [f"/api/v1/{resource}/" for resource, *_ in LISTS] + ["/api/v1/deletions/"]
    for path in lists:
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert "updated_after" in names, path


def test_it_walks_the_updated_at_index_from_the_cursor_on_postgresql(api: APIClient) -> None:
    """A deep page starts its index range at its cursor, not at ``updated_after``."""
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN of PostgreSQL plans")
    CommentFactory.create_batch(5, article=ArticleFactory.create())
    first = api.get(f"{API}/comments/", {"updated_after": MIDDLE, "page_size": "2"}).json()
    plan = page_plan(api, first["next"])
    assert "comment_updated" in plan
    assert re.search(r"Index Cond: .*updated_at >= ", plan), plan


def test_it_stamps_the_articles_staff_mark_free_in_admin(
    db: None, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    marked, other = ArticleFactory.create_batch(2, subscriber_only=True)
    Article.objects.update(updated_at=OLD, free_on=None)  # locked until made free
    client = APIClient()
    client.force_login(staff)
    data = {"action": "mark_free_now", "_selected_action": [str(marked.pk)]}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/admin/articles/article/", data).status_code == 302
    stamps = dict(Article.objects.values_list("pk", "updated_at"))
    assert stamps[marked.pk] > OLD
    assert stamps[other.pk] == OLD
