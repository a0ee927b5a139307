"""Limits on what a client may ask for, each refused with a status and a reason.

Request bodies (413), search queries and API page sizes (400), and the
``LWNKB_*`` variables that set the limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import search
from articles.api.pagination import MAX_PAGE_SIZE
from lwnkb.request_limits import RequestSizeLimitMiddleware
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
LONG_QUERY = "kernel " * (search.MAX_QUERY_LENGTH // 7 + 1)


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_it_answers_413_with_a_reason_to_an_oversized_api_body(
    curator: User, queued: list[tuple[str, tuple[object, ...]]]
) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    url = f"{API}/actions/import/"
    body = json.dumps({"lwn_id": 822335, "padding": "x" * 3000})
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": f"Request body too large: {len(body):,} bytes; the limit is 2,048 bytes.",
        "code": "request_too_large",
    }
    # The same request without the padding is fine: it is the size that was refused.
    assert client.post(url, {"lwn_id": 822335}, format="json").status_code == 202


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_it_answers_413_in_plain_text_to_an_oversized_form(client: Client) -> None:
    response = client.post("/admin/login/", {"username": "x" * 5000, "password": "pw"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert "the limit is 2,048 bytes" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_it_answers_413_when_a_view_finds_the_body_too_large() -> None:
    """A body without Content-Length is only measured as it is read, inside the view."""
    request = RequestFactory().post(f"{API}/actions/import/")
    middleware = RequestSizeLimitMiddleware(lambda r: pytest.fail("never called"))
    response = middleware.process_exception(request, RequestDataTooBig("too big"))
    assert response is not None
    assert response.status_code == 413
    assert middleware.process_exception(request, ValueError("other")) is None


@pytest.mark.django_db
def test_it_refuses_an_overlong_search_query_everywhere(client: Client) -> None:
    limit = f"{search.MAX_QUERY_LENGTH}"
    api = client.get(f"{API}/search/", {"q": LONG_QUERY})
    assert api.status_code == 400
    assert limit in json.dumps(api.json())
    feed = client.get("/feeds/search/", {"q": LONG_QUERY})
    assert feed.status_code == 400
    page = client.get("/search/", {"q": LONG_QUERY})
    assert f"Ensure this value has at most {limit} characters" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["articles/", "comments/", "editions/", "hardware/", "import-runs/", "entities/"]
)
def test_it_refuses_a_page_size_beyond_the_maximum(path: str, staff: User) -> None:
    largest = MAX_PAGE_SIZE  # one maximum for every list
    ArticleFactory()
    client = APIClient()
    client.force_login(staff)  # import-runs are staff-only
    message = f"Must be a whole number from 1 to {largest}."
    for value in (str(largest + 1), "0", "-5", "ten", "1e9"):
        response = client.get(f"{API}/{path}", {"page_size": value})
        assert response.status_code == 400, value
        assert response.json() == {
            "detail": f"page_size: {message}",
            "code": "invalid",
            "errors": {"page_size": [message]},
        }
    assert client.get(f"{API}/{path}", {"page_size": str(largest)}).status_code == 200
    assert client.get(f"{API}/{path}").status_code == 200  # absent: the default


@pytest.mark.django_db
def test_it_documents_the_page_size_range_in_the_schema(client: Client) -> None:
    schema = client.get(f"{API}/schema/", {"format": "json"}).json()
    parameters = schema["paths"][f"{API}/articles/"]["get"]["parameters"]
    page_size = next(p for p in parameters if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}


def _settings_in_a_fresh_process(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MAX_PAGE_BYTES, s.PARSE_TIME_LIMIT, s.DATA_UPLOAD_MAX_MEMORY_SIZE)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LWNKB_")}
    clean.update({"DJANGO_SETTINGS_MODULE": "lwnkb.settings", "LWNKB_DEBUG": "true", **env})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_it_reads_the_limits_from_the_environment() -> None:
    defaults = _settings_in_a_fresh_process({})
    assert defaults.stdout.split() == ["20971520", "60.0", "2621440"], defaults.stderr
    chosen = _settings_in_a_fresh_process(
        {
            "LWNKB_MAX_PAGE_BYTES": "5000000",
            "LWNKB_PARSE_TIME_LIMIT": "2.5",
            "LWNKB_MAX_REQUEST_BYTES": "65536",
        }
    )
    assert chosen.stdout.split() == ["5000000", "2.5", "65536"], chosen.stderr
    bad = _settings_in_a_fresh_process({"LWNKB_PARSE_TIME_LIMIT": "forever"})
    assert bad.returncode != 0
    assert "LWNKB_PARSE_TIME_LIMIT='forever' is not a number" in bad.stderr
