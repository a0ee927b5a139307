"""CORS: other sites' scripts may read anonymous GETs under /api/, never with credentials."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.api.conftest import API, Archive
from tests.lwnkb.test_settings import manage

pytestmark = pytest.mark.django_db
ORIGIN = "https://tools.example"


def test_it_lets_any_origin_read_an_api_get(api: APIClient, archive: Archive) -> None:
    response = api.get(f"{API}/articles/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    # A script paging through a list needs the Link header, and one revalidating the ETag.
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"link", "etag", "ratelimit-remaining", "retry-after"} <= exposed


def test_it_answers_a_preflight_for_get_only(api: APIClient, db: None) -> None:
    preflight = api.options(
        f"{API}/articles/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    allowed = {h.strip() for h in preflight["Access-Control-Allow-Headers"].split(",")}
    assert "if-none-match" in allowed
    # Tokens are not for other sites' scripts: the browser may not send Authorization.
    assert "authorization" not in allowed
    assert "Access-Control-Allow-Credentials" not in preflight


def test_it_gives_no_cors_outside_the_api(client: APIClient, db: None) -> None:
    for path in ("/", "/feeds/articles/", "/admin/login/"):
        assert "Access-Control-Allow-Origin" not in client.get(path, HTTP_ORIGIN=ORIGIN)


def test_it_allows_only_the_configured_origins(api: APIClient, db: None) -> None:
    with override_settings(CORS_ALLOW_ALL_ORIGINS=False, CORS_ALLOWED_ORIGINS=[ORIGIN]):
        allowed = api.get(f"{API}/releases/", HTTP_ORIGIN=ORIGIN)
        assert allowed["Access-Control-Allow-Origin"] == ORIGIN
        other = api.get(f"{API}/releases/", HTTP_ORIGIN="https://elsewhere.example")
        assert "Access-Control-Allow-Origin" not in other


@pytest.mark.slow
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "True []"),
        (f"{ORIGIN},https://b.example", f"False ['{ORIGIN}', 'https://b.example']"),
        ("", "False []"),  # empty: CORS off
    ],
)
def test_it_reads_the_allowed_origins_from_the_environment(
    given: str | None, expected: str, tmp_path: Path
) -> None:
    env = {"LWNKB_DEBUG": "true", "LWNKB_DATA_DIR": str(tmp_path)}
    if given is not None:
        env["LWNKB_CORS_ALLOWED_ORIGINS"] = given
    shown = "from django.conf import settings as s; "
    shown += "print(s.CORS_ALLOW_ALL_ORIGINS, s.CORS_ALLOWED_ORIGINS, s.CORS_ALLOW_CREDENTIALS)"
    result = manage("shell", "--no-imports", "-c", shown, env=env)
    assert result.stdout.strip() == f"{expected} False", result.stderr
