"""One pagination: cursors, ``next``/``previous`` and a ``Link`` header on every list.

Search pages the same way; its cursor walk is in ``tests/search/test_api.py``
(it needs both search backends).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from articles.api.pagination import MAX_PAGE_SIZE
from articles.api.urls import router
from articles.models import (
    Article,
    Comment,
    Entity,
    HardwareDevice,
    Mention,
    MergeWindowItem,
)
from tests.api.conftest import API, Archive
from tests.api.link_header import links
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "editions/",
    "articles/",
    "comments/",
    "releases/",
    "merge-window-items/",
    "hardware/",
    "import-runs/",
    "entities/",
]


def walk(client: APIClient, url: str | None, *, via: str = "next") -> list[list[str]]:
    """Every page from ``url`` on, following ``via`` (``next`` or ``previous``) to the end.

    Each page's rows come back as JSON strings; the body's link and the header's agree.
    """
    pages = []
    rel = {"next": "next", "previous": "prev"}[via]
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        pages.append([json.dumps(row, sort_keys=True) for row in body["results"]])
        header = links(response)
        assert header.get("next") == body["next"]
        assert header.get("prev") == body["previous"]
        url = header.get(rel)
        assert len(pages) < 100, "the walk does not end"
    return pages


def _rows(pages: list[list[str]]) -> list[str]:
    return [row for page in pages for row in page]


@pytest.fixture
def staff_api(client_as: Callable[[str], APIClient]) -> APIClient:
    return client_as("staff")  # import runs are staff-only


@pytest.fixture
def tied_archive(archive: Archive) -> Archive:
    """Seven of everything, most sharing their sort values, so pages split ties."""
    archive.grow(7)
    for version in ("5.9", "5.10", "6.1", "6.2", "6.10", "6.11"):
        KernelReleaseFactory.create(version=version)
    day = dt.date(2020, 6, 11)
    Article.objects.update(date=day, title="Same title")
    Comment.objects.update(posted_at=dt.datetime(2020, 6, 11, 12, tzinfo=dt.UTC))
    HardwareDevice.objects.update(category="Graphics", name="Same device")
    MergeWindowItem.objects.update(group="Core kernel")
    for n in range(7):
        Entity.objects.create(kind="syscall" if n % 2 else "capability", name=f"name_{n}")
    return archive


def _orderings() -> list[tuple[str, str]]:
    """Every list with each of its sort keys, both ways, and its default."""
    cases = []
    for prefix, viewset, _ in router.registry:
        if f"{prefix}/" not in LISTS:
            continue
        cases.append((f"{prefix}/", ""))
        for key in getattr(viewset, "ordering_map", {}):
            cases += [(f"{prefix}/", key), (f"{prefix}/", f"-{key}")]
    return cases


@pytest.mark.parametrize(("path", "ordering"), _orderings())
def test_it_visits_every_row_once_following_next_and_back_with_previous(
    staff_api: APIClient, tied_archive: Archive, path: str, ordering: str
) -> None:
    url = f"http://testserver{API}/{path}?page_size=2" + (
        f"&ordering={ordering}" if ordering else ""
    )
    forward = walk(staff_api, url)
    everything = staff_api.get(url.replace("page_size=2", f"page_size={MAX_PAGE_SIZE}")).json()
    assert everything["next"] is None
    rows = _rows(forward)
    assert len(forward) > 2
    assert rows == [json.dumps(r, sort_keys=True) for r in everything["results"]]
    assert len(set(rows)) == len(rows) == everything["count"]
    # From the last page back to the first: the same pages in reverse order.
    last = staff_api.get(url)
    while last.json()["next"]:
        last = staff_api.get(last.json()["next"])
    backward = walk(
        staff_api, last.request["PATH_INFO"] + "?" + last.request["QUERY_STRING"], via="previous"
    )
    assert list(reversed(backward)) == forward


def test_it_gives_no_links_when_everything_fits(api: APIClient, archive: Archive) -> None:
    archive.grow(2)
    response = api.get(f"{API}/articles/")
    body = response.json()
    assert body["next"] is body["previous"] is None
    assert "Link" not in response.headers


def test_it_writes_link_headers_in_rfc_8288_syntax(api: APIClient, archive: Archive) -> None:
    archive.grow(3)
    first = api.get(f"{API}/articles/", {"page_size": 1})
    middle = api.get(first.json()["next"])
    assert set(links(first)) == {"next"}
    assert set(links(middle)) == {"next", "prev"}
    assert re.fullmatch(
        r'<http://testserver/api/v1/articles/\?cursor=[^>]+&page_size=1>; rel="next", '
        r'<http://testserver/api/v1/articles/\?cursor=[^>]+&page_size=1>; rel="prev"',
        middle["Link"],
    )


@pytest.mark.parametrize("path", LISTS)
def test_it_refuses_a_page_size_over_the_one_maximum(
    staff_api: APIClient, archive: Archive, path: str
) -> None:
    archive.grow(1)
    too_many = staff_api.get(f"{API}/{path}", {"page_size": MAX_PAGE_SIZE + 1})
    assert too_many.status_code == 400
    assert "page_size" in too_many.content.decode()
    assert str(MAX_PAGE_SIZE) in too_many.content.decode()
    assert staff_api.get(f"{API}/{path}", {"page_size": MAX_PAGE_SIZE}).status_code == 200


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


BAD_CURSORS = [
    "not base64!",
    _cursor("p=yesterday"),  # a position that is not a list of sort values
    _cursor('p=["a", "b", "c", "d", "e"]'),  # the wrong number of values
    _cursor("p=[1, 2]"),  # values that are not strings
    _cursor("o=x"),
    _cursor("o=-1"),  # a negative offset
    _cursor("r=maybe"),  # a direction that is not 0 or 1
    base64.b64encode(b"\xff\xfe").decode(),  # tokens that are not text
]


@pytest.mark.parametrize("path", LISTS)
def test_it_answers_400_naming_cursor_for_a_bad_cursor(
    staff_api: APIClient, archive: Archive, path: str
) -> None:
    archive.grow(2)
    for cursor in BAD_CURSORS:
        response = staff_api.get(f"{API}/{path}", {"cursor": cursor})
        assert response.status_code == 400, (cursor, response.content)
        assert "cursor" in response.content.decode()


def test_it_answers_400_for_a_position_its_column_cannot_hold(
    api: APIClient, archive: Archive
) -> None:
    archive.grow(2)
    cursor = _cursor('p=["yesterday", "1"]')  # articles sort by date first
    response = api.get(f"{API}/articles/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.content.decode()


@pytest.mark.parametrize("path", LISTS)
def test_it_refuses_page_numbers_on_cursor_lists(
    staff_api: APIClient, archive: Archive, path: str
) -> None:
    """``page=2`` used to answer page 1 again, so a loop written for search never ended."""
    archive.grow(1)
    response = staff_api.get(f"{API}/{path}", {"page": 2})
    assert response.status_code == 400
    assert "follow `next`" in response.content.decode()
    assert "page" in response.content.decode()


# --- Entity mentions ---------------------------------------------------------------


def _mentioned(n: int) -> Entity:
    """An entity named ``n`` times in each kind of text, several on the same day."""
    entity = Entity.objects.create(kind="syscall", name="tee")
    release = KernelReleaseFactory.create(version="6.1")
    day = dt.date(2022, 10, 16)
    for i in range(n):
        article = ArticleFactory.create(date=day if i % 2 else day + dt.timedelta(days=i))
        item = MergeWindowItemFactory.create(release=release, article=article)
        device = HardwareDeviceFactory.create(release=release, article=article)
        comment = CommentFactory.create(article=article)
        for target in ({"article": article}, {"merge_item": item}, {"hardware": device}):
            Mention.objects.create(entity=entity, sentence=f"tee() {i}", **target)
        Mention.objects.create(entity=entity, comment=comment, sentence=f"tee() {i}")
    return entity


MENTIONS = f"http://testserver{API}/entities/syscall/tee/mentions/"


def test_it_lists_every_mention_once_by_cursor(api: APIClient) -> None:
    _mentioned(5)
    forward = walk(api, f"{MENTIONS}?page_size=3")
    rows = [json.loads(row) for row in _rows(forward)]
    assert len(rows) == Mention.objects.count() == 20
    assert len({json.dumps(r, sort_keys=True) for r in rows}) == 20
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True)  # newest first
    last = f"{MENTIONS}?page_size=3"
    while (body := api.get(last).json())["next"]:
        last = body["next"]
    assert list(reversed(walk(api, last, via="previous"))) == forward


def test_it_lists_the_mentions_of_one_type_the_detail_counts_and_links(api: APIClient) -> None:
    _mentioned(4)
    detail = api.get(f"{API}/entities/syscall/tee/").json()
    assert detail["mentions_url"] == MENTIONS
    assert set(detail["mention_urls"]) == {"article", "merge_item", "hardware", "comment"}
    for kind, url in detail["mention_urls"].items():
        assert url == f"{MENTIONS}?type={kind}"
        rows = [json.loads(r) for r in _rows(walk(api, f"{url}&page_size=3"))]
        assert len(rows) == detail["mention_counts"][kind] == 4
        assert {r["type"] for r in rows} == {kind}


def test_it_refuses_bad_mention_list_parameters(api: APIClient) -> None:
    _mentioned(1)
    for params, name in (
        ({"type": "blog"}, "type"),
        ({"page": "2"}, "page"),
        ({"page_size": str(MAX_PAGE_SIZE + 1)}, "page_size"),
        ({"cursor": "nonsense"}, "cursor"),
    ):
        response = api.get(MENTIONS, params)
        assert response.status_code == 400, params
        assert name in response.content.decode()
    assert api.get(f"{API}/entities/syscall/no_such_call/mentions/").status_code == 404


def test_it_hides_locked_sentences_in_the_mention_list(api: APIClient, subscriber: User) -> None:
    _mentioned(1)
    Article.objects.update(subscriber_only=True, free_on=dt.date.today() + dt.timedelta(days=9))
    anonymous = api.get(MENTIONS).json()["results"]
    # Only the article's own mention stays, its sentence withheld (as on the detail).
    assert [(m["type"], m["sentence"]) for m in anonymous] == [("article", None)]
    api.force_login(subscriber)
    assert api.get(MENTIONS).json()["count"] == 4


@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 3), ("subscriber", 3 + 4)])
def test_it_pins_the_mention_list_query_count(
    client_as: Callable[[str], APIClient], persona: str, queries: int
) -> None:
    """The entity, the count and the page, whatever the number of mentions."""
    client = client_as(persona)
    entity = _mentioned(2)
    for n in (2, 30):
        while entity.mentions.count() < 4 * n:
            article = ArticleFactory.create()
            Mention.objects.create(entity=entity, article=article, sentence="tee()")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MENTIONS, {"page_size": MAX_PAGE_SIZE}).status_code == 200
        assert len(captured) == queries, [q["sql"][:120] for q in captured]
