"""Comment threads as trees, the flat filterable list, and the paywall on both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from articles.models import Article
from tests.api.conftest import API, FUTURE, PERSONAS, locked_article
from tests.factories import ArticleFactory, CommentFactory
from tests.services.conftest import import_fixture

pytestmark = pytest.mark.django_db


def shape(nodes: list[dict[str, object]]) -> list[object]:
    """(lwn_id, [replies…]) pairs: the tree without the text."""
    return [(n["lwn_id"], shape(n["replies"])) for n in nodes]  # type: ignore[arg-type]


def test_it_returns_a_thread_as_a_tree(api: APIClient) -> None:
    article = ArticleFactory.create()
    a = CommentFactory.create(article=article, lwn_id=1, thread_position=0)
    b = CommentFactory.create(article=article, lwn_id=2, parent=a, depth=1, thread_position=1)
    CommentFactory.create(article=article, lwn_id=3, parent=b, depth=2, thread_position=2)
    CommentFactory.create(article=article, lwn_id=4, parent=a, depth=1, thread_position=3)
    CommentFactory.create(article=article, lwn_id=5, thread_position=4)
    CommentFactory.create(lwn_id=6)  # another article's
    body = api.get(f"{API}/articles/{article.lwn_id}/comments/").json()
    assert body["article"] == article.lwn_id
    assert (body["locked"], body["free_on"], body["count"]) == (False, None, 5)
    assert shape(body["comments"]) == [(1, [(2, [(3, [])]), (4, [])]), (5, [])]
    reply = body["comments"][0]["replies"][0]
    assert (reply["parent"], reply["depth"]) == (1, 1)
    assert reply["url"] == f"http://testserver{API}/comments/2/"
    assert reply["parent_url"] == f"http://testserver{API}/comments/1/"
    assert reply["html_url"] == f"http://testserver/articles/{article.lwn_id}/#c2"
    assert reply["lwn_url"] == "https://lwn.net/Articles/2/"


def test_it_keeps_lwns_display_order_for_an_imported_thread(api: APIClient) -> None:
    import_fixture("article-2024-details-comments.html")
    body = api.get(f"{API}/articles/1006127/comments/").json()
    assert body["count"] == 6

    def flatten(nodes: list[dict[str, Any]]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for n in nodes:
            out.append((n["depth"], n["thread_position"]))
            out += flatten(n["replies"])
        return out

    order = flatten(body["comments"])
    assert [position for _depth, position in order] == sorted(p for _d, p in order)
    assert max(depth for depth, _p in order) == 3


@pytest.mark.parametrize(
    ("persona", "can_read"),
    [("anonymous", False), ("subscriber", True), ("curator", True), ("staff", True)],
)
def test_it_gives_a_locked_thread_as_an_empty_list_with_a_flag(
    persona: str, can_read: bool, client_as: Callable[[str], APIClient]
) -> None:
    article = locked_article()
    body = client_as(persona).get(f"{API}/articles/{article.lwn_id}/comments/").json()
    assert body["locked"] is not can_read
    assert body["count"] == (1 if can_read else 0)
    assert len(body["comments"]) == body["count"]
    assert body["free_on"] == (None if can_read else FUTURE.isoformat())


@pytest.mark.parametrize(
    ("persona", "visible"),
    [("anonymous", 1), ("subscriber", 2), ("curator", 2), ("staff", 2)],
)
def test_it_leaves_locked_comments_out_of_the_flat_list(
    persona: str, visible: int, client_as: Callable[[str], APIClient]
) -> None:
    locked = locked_article()
    CommentFactory.create()
    client = client_as(persona)
    assert client.get(f"{API}/comments/").json()["count"] == visible
    hidden = locked.comments.get()
    # Unknown and locked alike: 404, so the answer does not reveal that it exists.
    expected = 404 if visible == 1 else 200
    assert client.get(f"{API}/comments/{hidden.lwn_id}/").status_code == expected
    assert client.get(f"{API}/comments/123456789/").status_code == 404


def test_it_filters_comments_by_article_poster_date_and_role(api: APIClient) -> None:
    first, second = ArticleFactory.create(lwn_id=500), ArticleFactory.create(lwn_id=501)
    at = lambda day: dt.datetime(2020, 6, day, 12, tzinfo=dt.UTC)  # noqa: E731
    CommentFactory.create(
        lwn_id=1, article=first, poster_name="corbet", poster_role="editor", posted_at=at(1)
    )
    CommentFactory.create(lwn_id=2, article=first, poster_name="reader", posted_at=at(10))
    CommentFactory.create(
        lwn_id=3, article=second, poster_name="Reader", poster_role="guest", posted_at=at(20)
    )

    def ids(**query: Any) -> list[int]:
        return sorted(c["lwn_id"] for c in api.get(f"{API}/comments/", query).json()["results"])

    assert ids(article=500) == [1, 2]
    assert ids(poster="reader") == [2, 3]
    assert ids(role="editor") == [1]
    assert ids(posted_after="2020-06-05", posted_before="2020-06-15") == [2]
    assert ids(posted_after="2020-06-10") == [2, 3]
    first_row = api.get(f"{API}/comments/", {"ordering": "posted_at"}).json()["results"][0]
    assert (first_row["lwn_id"], first_row["article"], first_row["parent"]) == (1, 500, None)
    assert api.get(f"{API}/comments/", {"role": "troll"}).status_code == 400


def test_it_answers_404_for_comments_of_an_unknown_article(api: APIClient) -> None:
    assert api.get(f"{API}/articles/424242/comments/").status_code == 404


def test_it_builds_the_thread_from_one_query(
    api: APIClient, django_assert_num_queries: Callable[[int], object]
) -> None:
    article: Article = ArticleFactory.create()
    parent = None
    for position in range(10):
        parent = CommentFactory.create(
            article=article, parent=parent, depth=position, thread_position=position
        )
        with django_assert_num_queries(2):  # type: ignore[attr-defined]
            assert api.get(f"{API}/articles/{article.lwn_id}/comments/").status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_serves_threads_to_every_persona(
    persona: str, client_as: Callable[[str], APIClient]
) -> None:
    article = ArticleFactory.create()
    CommentFactory.create(article=article)
    assert client_as(persona).get(f"{API}/articles/{article.lwn_id}/comments/").status_code == 200
