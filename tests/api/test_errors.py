"""One error shape under /api/: ``{"detail", "code", "errors"}``, debug on and off.

Pages outside /api/ keep their HTML errors. The module doubles as a URLconf (the
site's routes plus two views that fail) for the server-error tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, path
from rest_framework.test import APIClient

from articles.models import Article
from lwnkb.urls import urlpatterns as site_urlpatterns
from tests.api.conftest import API, Archive
from tests.conftest import Queued

pytestmark = pytest.mark.django_db


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/boom/", boom),
    path("boom/", boom),
    *site_urlpatterns,
]


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request: pytest.FixtureRequest) -> Iterator[bool]:
    with override_settings(DEBUG=request.param):
        yield request.param


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The response is the API's error shape with this status, code and (maybe) field."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) <= {"detail", "code", "errors"}
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["code"] == code
    if field is None:
        assert "errors" not in body
    else:
        assert list(body["errors"]) == [field]
        assert all(isinstance(m, str) for m in body["errors"][field])
        assert body["detail"].startswith(f"{field}: ")
    return body


@pytest.mark.parametrize(
    ("url", "field", "accepts"),
    [
        ("/articles/?subscriber_only=maybe", "subscriber_only", "true or false"),
        ("/articles/?kind=essay", "kind", "feature, guest, brief"),
        ("/articles/?ordering=bogus", "ordering", "date, lwn_id, title"),
        ("/releases/?ordering=-version,bogus", "ordering", "version"),
        ("/articles/?release=abc", "release", "6.14"),
        ("/articles/?release_min=abc", "release_min", "6.14"),
        ("/merge-window-items/?release=abc", "release", "6.14"),
        ("/hardware/?release_max=5.x", "release_max", "6.14"),
        ("/entities/?introduced=abc", "introduced", "6.14"),
        ("/entities/?kind=planet", "kind", "syscall"),
        ("/comments/?role=boss", "role", "subscriber"),
        ("/search/?q=bpf&year=2019", "year", "after="),
        ("/search/?q=bpf&release=abc", "release", "6.14"),
        ("/search/?q=bpf&page_size=100000", "page_size", ""),
    ],
)
def test_it_answers_400_naming_the_bad_parameter_and_what_it_takes(
    api: APIClient, debug: bool, url: str, field: str, accepts: str
) -> None:
    body = assert_error(api.get(f"{API}{url}"), 400, "invalid", field)
    assert accepts in body["errors"][field][0]


def test_it_still_applies_good_values_of_the_strict_filters(
    api: APIClient, archive: Archive
) -> None:
    archive.grow(2)
    archive.articles[0].subscriber_only = True
    archive.articles[0].save()
    only = api.get(f"{API}/articles/", {"subscriber_only": "true", "release": "5.8"})
    assert [a["lwn_id"] for a in only.json()["results"]] == [archive.articles[0].lwn_id]
    free = api.get(f"{API}/articles/", {"subscriber_only": "0", "ordering": "-title,date"})
    titles = [a["title"] for a in free.json()["results"]]
    assert titles == sorted(
        Article.objects.exclude(pk=archive.articles[0].pk).values_list("title", flat=True),
        reverse=True,
    )
    items = api.get(f"{API}/merge-window-items/", {"release": "5.8", "release_min": "5.8"})
    assert items.json()["count"] == api.get(f"{API}/merge-window-items/").json()["count"] > 0
    assert api.get(f"{API}/entities/", {"introduced": "5.8"}).status_code == 200


def test_it_gathers_every_bad_parameter_in_errors(api: APIClient) -> None:
    response = api.get(f"{API}/articles/", {"kind": "essay", "release": "abc"})
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"kind", "release"}
    assert "(and 1 more: see errors)" in body["detail"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/releases/9.99/", "No kernel release with version 9.99."),
        ("/articles/5/", "No article with LWN id 5."),
        ("/articles/5/comments/", "No article with LWN id 5."),
        ("/editions/5/", "No edition with LWN id 5."),
        ("/comments/5/", "No comment with LWN id 5."),
        ("/merge-window-items/5/", "No merge window item with id 5."),
    ],
)
def test_it_says_what_is_missing_in_the_products_words(
    api: APIClient, debug: bool, url: str, message: str
) -> None:
    body = assert_error(api.get(f"{API}{url}"), 404, "not_found")
    assert body["detail"].lower() == message.lower()


@pytest.mark.parametrize(
    "url", ["/api/v1/nosuch/", "/api/v1/articles/abc/", "/api/v1/entities/syscall/", "/api/"]
)
def test_it_answers_json_for_unmatched_api_routes(api: APIClient, debug: bool, url: str) -> None:
    body = assert_error(api.get(url), 404, "not_found")
    assert url in body["detail"]


def test_it_keeps_html_404_pages_outside_the_api(debug: bool) -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__)
def test_it_answers_json_for_server_errors_under_the_api(debug: bool) -> None:
    client = Client(raise_request_exception=False)
    body = assert_error(client.get(f"{API}/boom/"), 500, "server_error")
    assert "a bug" not in body["detail"]
    page = client.get("/boom/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_names_the_right_url_when_a_write_lacks_its_slash(
    client_as: Callable[[str], APIClient], debug: bool, method: str
) -> None:
    response = getattr(client_as("curator"), method)(
        f"{API}/actions/import", {"lwn_id": 1}, format="json"
    )
    body = assert_error(response, 404, "not_found")
    assert body["detail"].endswith(f"{API}/actions/import/")
    assert response["X-Frame-Options"] == "DENY"  # answered inside the header middleware


def test_it_still_redirects_a_read_without_its_slash(api: APIClient) -> None:
    response = api.get(f"{API}/articles")
    assert response.status_code == 301
    assert response["Location"] == f"{API}/articles/"


def test_it_answers_401_and_403_with_their_codes(
    api: APIClient, client_as: Callable[[str], APIClient], debug: bool
) -> None:
    anonymous = api.post(f"{API}/actions/import/", {"lwn_id": 1}, format="json")
    assert_error(anonymous, 401, "not_authenticated")
    assert anonymous["WWW-Authenticate"] == "Token"
    refused = client_as("subscriber").post(f"{API}/actions/import/", {"lwn_id": 1}, format="json")
    assert_error(refused, 403, "permission_denied")


def test_it_answers_405_415_and_malformed_bodies_with_their_codes(
    client_as: Callable[[str], APIClient], queued: Queued
) -> None:
    curator = client_as("curator")
    assert_error(curator.delete(f"{API}/articles/"), 405, "method_not_allowed")
    xml = curator.post(f"{API}/actions/import/", "<a/>", content_type="application/xml")
    assert_error(xml, 415, "unsupported_media_type")
    broken = curator.post(f"{API}/actions/import/", "{", content_type="application/json")
    assert_error(broken, 400, "parse_error")


def test_it_names_body_fields_in_errors(
    client_as: Callable[[str], APIClient], queued: Queued
) -> None:
    response = client_as("curator").post(
        f"{API}/actions/reparse/", {"raw_page_id": "x"}, format="json"
    )
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert "raw_page_id" in body["errors"]


def test_it_keeps_retry_after_on_429(api: APIClient, debug: bool) -> None:
    rates = {"anon": "1/min", "user": "1/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        assert api.get(f"{API}/releases/").status_code == 200
        throttled = api.get(f"{API}/releases/")
    assert_error(throttled, 429, "throttled")
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_it_gives_the_input_guards_answers_a_code(api: APIClient) -> None:
    assert_error(api.get(f"{API}/articles/?section=a%00b"), 400, "bad_request")


def test_it_documents_the_error_answers_in_the_schema(api: APIClient) -> None:
    schema = api.get(f"{API}/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    error = {"$ref": "#/components/schemas/Error"}

    def codes(route: str, method: str = "get") -> set[str]:
        responses = paths[f"{API}{route}"][method]["responses"]
        for code, answer in responses.items():
            if code.startswith(("4", "5")):
                assert answer["content"]["application/json"]["schema"] == error, (route, code)
        return set(responses)

    assert {"200", "400", "429"} <= codes("/articles/")
    assert "404" not in codes("/articles/")
    assert {"200", "404", "429"} <= codes("/articles/{lwn_id}/")
    assert {"401", "403", "404"} <= codes("/import-runs/{id}/")
    assert {"400", "503"} <= codes("/search/")
    assert {"400", "401", "403"} <= codes("/actions/import/", "post")
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}


def test_it_gives_a_views_own_json_error_a_code(client_as: Callable[[str], APIClient]) -> None:
    """Without a broker the import action answers 503 itself, not through an exception."""
    response = client_as("curator").post(f"{API}/actions/import/", {"lwn_id": 1}, format="json")
    body = assert_error(response, 503, "unavailable")
    assert "lwn_import" in body["detail"]
