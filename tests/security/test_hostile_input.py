"""No route answers 5xx to bad input: every route, hostile path values and query values.

Routes come from Django's URL resolver (a new route is walked without editing
this file); path parameters get plausible and hostile values; every query
parameter a filter set declares, plus the common names pages read, gets a
corpus of hostile values, as an anonymous visitor and as staff, with
``DEBUG=False`` and exceptions turned into responses as in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import django_filters
import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.throttling import SimpleRateThrottle

from articles.models import Entity, Mention
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    HardwareDeviceFactory,
    MergeWindowItemFactory,
)

# Names the pages, feeds and pagination read beside the filter sets' own.
COMMON_PARAMS = [
    "q",
    "page",
    "page_size",
    "year",
    "release",
    "release_min",
    "release_max",
    "cursor",
    "ordering",
    "type",
    "author",
    "entity",
    "kind",
    "sort",
    "after",
    "before",
    "subscriber_only",
    "introduced",
    "name",
    "category",
    "outcome",
    "section",
    "format",
    "limit",
    "offset",
    "edition",
    "article",
    "lwn_id",
    "id",
]
HOSTILE_VALUES = [
    "-5",
    "99999999999999999999",
    "2147483648",
    "0",
    "kernel%00",
    "%ff%fe",
    "%c0%af",
    quote("x" * 5000),
    "..%2F..%2Fetc%2Fpasswd",
    "1e400",
    "%5B%5D",
    "5.8%00",
]
# Each parameter alone (a bad value must not hide behind another's 400): the values
# that reach the views; NUL and broken UTF-8 stop in the middleware whatever the name.
PER_PARAM_VALUES = ["-5", "99999999999999999999", "2147483648", quote("x" * 5000), "..%2F"]
STAFF_VALUES = ["-5", "99999999999999999999", quote("y" * 5000)]
PATH_VALUES: list[dict[str, str]] = [
    {
        "lwn_id": "{article}",
        "pk": "{item}",
        "version": "5.8",
        "kind": "syscall",
        "name": "faccessat2",
        "alias": "sys_faccessat2",
    },
    {
        "lwn_id": "0",
        "pk": "0",
        "version": "0.0",
        "kind": "nope",
        "name": "..%2F..%2Fetc%2Fpasswd",
        "alias": "..%2F",
    },
    {
        "lwn_id": "99999999999999999999",
        "pk": "99999999999999999999",
        "version": "99999.99999.99999",
        "kind": "syscall",
        "name": "x" * 3000,
        "alias": "y" * 3000,
    },
    {
        "lwn_id": "2147483648",
        "pk": "-1",
        "version": "5.8",
        "kind": "syscall",
        "name": "a%00b",
        "alias": "a%00b",
    },
    {
        "lwn_id": "1",
        "pk": "%ff%fe",
        "version": "5.8",
        "kind": "path",
        "name": "%ff%fe",
        "alias": "%ff%fe",
    },
]
_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*(?:\([^()]*\)[^()]*)*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern)


def _template(route: str) -> str:
    """A route with its parameters as ``{name}`` fields and format suffixes as ``.json``."""
    path = route.replace("^", "").replace("$", "")
    path = path.replace(r"\.(?P<format>[a-z0-9]+)/?", ".json")
    path = path.replace("<drf_format_suffix:format>", ".json")
    path = _GROUP.sub(lambda m: "{" + m.group(1) + "}", path)
    return "/" + _CONVERTER.sub(lambda m: "{" + m.group(1) + "}", path)


ROUTES = sorted(
    {_template(r) for r in _routes(get_resolver().url_patterns) if not r.startswith("admin/")}
    | {"/admin/", "/admin/articles/article/", "/admin/login/"}
)


def _params() -> list[str]:
    import articles.api.entities
    import articles.api.filters
    import articles.filters

    names = set(COMMON_PARAMS)
    for module in (articles.filters, articles.api.filters, articles.api.entities):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet):
                names |= set(value.base_filters)  # type: ignore[attr-defined]
    return sorted(names)


PARAMS = _params()


@pytest.fixture
def archive(db: None) -> dict[str, str]:
    article = ArticleFactory.create()
    CommentFactory.create(article=article)
    item = MergeWindowItemFactory.create(article=article)
    HardwareDeviceFactory.create(article=article)
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    Mention.objects.create(entity=entity, article=article, sentence="It names faccessat2().")
    return {"article": str(article.lwn_id), "item": str(item.pk)}


@pytest.fixture(autouse=True)
def _production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Throttles would turn the corpus into 429s and hide what the views do.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    with override_settings(DEBUG=False):
        yield


def _client(persona: str, request: pytest.FixtureRequest) -> Client:
    client = Client(raise_request_exception=False)
    if persona == "staff":
        client.force_login(request.getfixturevalue("staff"))
    return client


def _paths(template: str, archive: dict[str, str]) -> list[str]:
    if "{" not in template:
        return [template]
    return [template.format(**{k: v.format(**archive) for k, v in p.items()}) for p in PATH_VALUES]


def _assert_no_5xx(client: Client, url: str, failures: list[str]) -> None:
    status = client.get(url).status_code
    if status >= 500 and status != 503:  # 503: the search index is not built here
        failures.append(f"{status} GET {url[:200]}")


@pytest.mark.slow  # about 5 minutes: ~60 routes x 2 personas x ~250 requests
@pytest.mark.parametrize("persona", ["anonymous", "staff"])
@pytest.mark.parametrize("template", ROUTES)
def test_no_route_answers_5xx_to_hostile_input(
    template: str, persona: str, archive: dict[str, str], request: pytest.FixtureRequest
) -> None:
    client = _client(persona, request)
    failures: list[str] = []
    paths = _paths(template, archive)
    for path in paths:
        _assert_no_5xx(client, path, failures)
    for value in HOSTILE_VALUES:  # every parameter at once
        _assert_no_5xx(client, f"{paths[0]}?" + "&".join(f"{n}={value}" for n in PARAMS), failures)
    for name in PARAMS:
        for value in PER_PARAM_VALUES if persona == "anonymous" else STAFF_VALUES:
            _assert_no_5xx(client, f"{paths[0]}?{name}={value}", failures)
    assert not failures, "\n".join(failures)


def test_bad_query_strings_are_answered_400_with_a_message(client: Client, db: None) -> None:
    for url in ("/feeds/search/?q=kernel%00", "/search/?q=%ff%fe", "/api/v1/articles/?q=a%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert b"query string" in response.content, url
    assert client.get("/entities/syscall/a%00b/").status_code == 400


@pytest.mark.parametrize("year", ["-5", "99999999999999999999", "10000", "abc"])
def test_the_edition_archive_answers_a_bad_year_with_400(
    year: str, client: Client, db: None
) -> None:
    response = client.get(f"/editions/?year={year}")
    assert response.status_code == 400
    assert b"year" in response.content


def test_a_deeply_nested_json_body_is_answered_400(
    client: Client, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue("curator"))
    body = "[" * 100_000 + "]" * 100_000
    for url in ("/api/v1/actions/import/", "/api/v1/actions/reparse/"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert "nested" in response.json()["detail"]
