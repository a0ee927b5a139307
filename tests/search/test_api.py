"""``GET /api/v1/search/``: shape, filters, pages, errors, the paywall, query counts."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from articles import search
from tests.api.link_header import links
from tests.factories import ArticleFactory, CommentFactory
from tests.search.conftest import import_all

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"
HIT_KEYS = {
    "type",
    "id",
    "url",
    "api_url",
    "html_url",
    "lwn_url",
    "lwn_id",
    "article",
    "article_url",
    "title",
    "snippet",
    "score",
    "date",
    "release",
    "section",
}
FUTURE = dt.date.today() + dt.timedelta(days=3650)


@pytest.fixture
def indexed(db: None) -> None:
    import_all(("edition-2020-06-11-bigpage.html", "brief-items-2020-06-11.html"))
    locked = ArticleFactory(
        lwn_id=990100,
        title="Locked feature about kernels",
        body_text="secretword stays behind the paywall",
        subscriber_only=True,
        free_on=FUTURE,
    )
    CommentFactory(article=locked, body_text="a secretword comment")
    search.index_rebuild()


def get(client: APIClient, **params: Any) -> Any:
    return client.get(URL, params)


def test_it_answers_with_results_facets_suggestion_and_next(indexed: None) -> None:
    response = get(APIClient(), q="faccessat2()")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "results", "facets", "suggestion", "next", "previous"}
    assert body["count"] == 2
    assert body["next"] is body["previous"] is None
    assert body["suggestion"] is None
    assert set(body["facets"]) == {"type", "release", "section", "author", "year"}
    assert body["facets"]["release"] == [{"value": "5.8", "count": 2}]
    first = body["results"][0]
    assert set(first) == HIT_KEYS
    assert first["type"] == "merge"
    assert first["lwn_url"] == "https://lwn.net/Articles/821534/"
    assert (
        first["url"]
        == first["api_url"]
        == f"http://testserver/api/v1/merge-window-items/{first['id']}/"
    )
    assert "<mark>faccessat2</mark>" in first["snippet"]
    assert first["release"] == "5.8"
    assert first["date"] == "2020-06-05"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"q": "panels", "type": "hardware"}, 3),
        ({"type": "hardware", "release": "5.8", "section": "Graphics"}, 5),
        ({"q": "kernel", "author": "Jake Edge"}, 1),
        ({"type": "article", "after": "2020-06-10", "before": "2020-06-10"}, 6),
        ({"q": "release:>=5.8 type:merge"}, 32),
        ({"q": "seccmop"}, 0),
    ],
)
def test_it_filters(indexed: None, params: dict[str, str], count: int) -> None:
    body = get(APIClient(), **params).json()
    assert body["count"] == count, body


def test_it_suggests_a_correction(indexed: None) -> None:
    assert get(APIClient(), q="seccmop").json()["suggestion"] == "seccomp"


def test_it_pages_with_a_next_link(indexed: None) -> None:
    client = APIClient()
    first = get(client, type="hardware", page_size=10).json()
    assert first["count"] == 25
    assert "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert third["next"] is None
    ids = [r["id"] for page in (first, second, third) for r in page["results"]]
    assert len(ids) == len(set(ids)) == 25
    by_date = get(client, q="kernel", sort="date").json()["results"]
    assert [r["score"] for r in by_date] == [None] * len(by_date)


def test_it_walks_by_cursor_both_ways_with_link_headers(indexed: None) -> None:
    client = APIClient()
    first = get(client, type="hardware", page_size=10)
    pages, response = [first.json()], first
    while response.json()["next"]:
        assert links(response)["next"] == response.json()["next"]
        response = client.get(response.json()["next"])
        pages.append(response.json())
    ids = [r["id"] for page in pages for r in page["results"]]
    assert len(ids) == len(set(ids)) == 25
    assert pages[0]["previous"] is None
    assert "next" not in links(response)
    back = [response.json()]
    while response.json()["previous"]:
        assert links(response)["prev"] == response.json()["previous"]
        response = client.get(response.json()["previous"])
        back.append(response.json())
    assert [p["results"] for p in reversed(back)] == [p["results"] for p in pages]


def test_it_keeps_page_numbers_for_the_search_page(indexed: None) -> None:
    client = APIClient()
    first = get(client, type="hardware", page_size=10).json()
    second = get(client, type="hardware", page_size=10, page=2).json()
    assert client.get(first["next"]).json()["results"] == second["results"]
    assert "page=" not in second["next"]
    assert "cursor=" in second["previous"]


def _cursor(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


@pytest.mark.parametrize(
    "change",
    [
        {"cursor": "nonsense"},
        {"type": "merge"},  # a cursor of another search
        {"page_size": "5"},  # another page size: its page 2 is other hits
        {"page": "2"},  # both ways at once
    ],
)
def test_it_refuses_a_cursor_that_is_not_this_searchs(
    indexed: None, change: dict[str, str]
) -> None:
    client = APIClient()
    cursor = _cursor(get(client, type="hardware", page_size=10).json()["next"])
    params = {"type": "hardware", "page_size": "10", "cursor": cursor, **change}
    response = get(client, **params)
    assert response.status_code == 400
    assert "cursor" in response.content.decode()
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    assert get(client, type="hardware", page_size=10, cursor=tampered).status_code == 400


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"q": "kernel", "page_size": "0"}, "page_size"),
        ({"q": "kernel", "page_size": "101"}, "page_size"),
        ({"q": "kernel", "page_size": "ten"}, "page_size"),
        ({"q": "kernel", "page": "0"}, "page"),
        ({"q": "x" * 501}, "q"),
        ({"q": "kernel", "sort": "random"}, "sort"),
        ({"q": "kernel", "type": "blog"}, "type"),
        ({"q": "kernel", "release": "latest"}, "release"),
        ({"q": "kernel", "after": "June"}, "after"),
        ({}, "q"),
        ({"q": '"unclosed'}, "quotation mark"),
        ({"q": "a*"}, "at least 2 characters"),
        ({"q": "release:newest"}, "release: takes a kernel version"),
    ],
)
def test_it_answers_400_with_a_reason(indexed: None, params: dict[str, str], mentions: str) -> None:
    response = get(APIClient(), **params)
    assert response.status_code == 400
    assert mentions in str(response.json()["detail"])


@pytest.mark.whoosh_only  # the postgres backend has no index to lose
def test_it_answers_503_while_the_index_is_unavailable(db: None) -> None:
    response = get(APIClient(), q="kernel")
    assert response.status_code == 503
    assert "Search is unavailable" in response.json()["detail"]
    assert response["Retry-After"] == "60"
    search.index_rebuild()
    shutil.rmtree(settings.INDEX_DIR)
    assert get(APIClient(), q="kernel").status_code == 503


def test_it_keeps_subscriber_text_from_anonymous_callers(indexed: None, subscriber: User) -> None:
    anonymous = APIClient()
    assert get(anonymous, q="secretword").json()["count"] == 0
    (hit,) = get(anonymous, q="title:locked").json()["results"]
    assert hit["snippet"].startswith("Subscriber-only until ")
    assert "secretword" not in hit["snippet"]
    member = APIClient()
    member.force_login(subscriber)
    body = get(member, q="secretword").json()
    assert sorted(r["type"] for r in body["results"]) == ["article", "comment"]


# Whoosh reads its index only; the postgres backend runs three statements (the query's
# tsqueries, the matches with facets, the page's hits with snippets), the first between
# two that rule out sequential scans for it and put the settings back (search.pg.search
# ._probe_rows), inside a savepoint here because each test runs in a transaction.
SEARCH_QUERIES = {"whoosh": 0, "postgres": 3 + 2 + 2}


@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 0), ("subscriber", 4)])
def test_it_runs_a_fixed_number_of_queries(
    indexed: None,
    request: pytest.FixtureRequest,
    django_assert_max_num_queries,
    search_backend: str,
    persona: str,
    queries: int,
) -> None:
    """The search's own queries; a logged-in user adds session, user and permissions."""
    client = APIClient()
    user = request.getfixturevalue(persona)
    if isinstance(user, User):
        client.force_login(user)
    with django_assert_max_num_queries(queries + SEARCH_QUERIES[search_backend]):
        assert get(client, q="kernel OR capab*", page_size=50).status_code == 200


def test_it_documents_the_parameters_and_syntax_in_the_schema(db: None) -> None:
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names >= {"q", "type", "release", "section", "author", "after", "before", "sort"}
    assert names >= {"page", "page_size"}
    assert "release:>=6.1" in operation["description"]
    assert "entity:CAP_PERFMON" in operation["description"]
    assert {"200", "400", "503"} <= set(operation["responses"])
