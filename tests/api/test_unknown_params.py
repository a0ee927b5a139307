"""Unknown query parameter names are ignored; only bad values of known ones answer 400.

A tool may add its own parameters (cache busters, tracking) to any URL; what it
must not get is a silently ignored value of a parameter the API does know.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from articles import search
from articles.models import Entity, Mention
from tests.api.conftest import API, Archive

pytestmark = pytest.mark.django_db

UNKNOWN = {"nosuch": "1", "utm_source": "script", "_": "1700000000", "Kind": "essay"}
READS = [
    f"{API}/",
    f"{API}/editions/",
    f"{API}/articles/",
    f"{API}/comments/",
    f"{API}/releases/",
    f"{API}/merge-window-items/",
    f"{API}/hardware/",
    f"{API}/entities/",
    f"{API}/entities/syscall/faccessat2/",
    f"{API}/entities/syscall/faccessat2/mentions/",
    f"{API}/search/?q=kernel",
]
# One known parameter with a bad value per read, so the unknown ones are not all it checks.
BAD = {
    f"{API}/editions/": "year=abc",
    f"{API}/articles/": "kind=essay",
    f"{API}/comments/": "role=nobody",
    f"{API}/releases/": "ordering=bogus",
    f"{API}/merge-window-items/": "release=abc",
    f"{API}/hardware/": "release_min=abc",
    f"{API}/entities/": "article=abc",
    f"{API}/entities/syscall/faccessat2/mentions/": "type=essay",
    f"{API}/search/?q=kernel": "page_size=0",
}


def with_unknown(url: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(UNKNOWN)}"


@pytest.fixture
def readable(archive: Archive, tmp_data_dir: Path) -> None:
    archive.grow(2)
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    Mention.objects.create(entity=entity, article=archive.articles[0])
    search.index_rebuild()


@pytest.mark.parametrize("url", READS)
def test_it_ignores_unknown_parameter_names(readable: None, api: APIClient, url: str) -> None:
    # The test client replaces a URL's query with its data: join them by hand.
    plain = api.get(url)
    extra = api.get(with_unknown(url))
    assert plain.status_code == extra.status_code == 200, extra.content
    assert extra.json().get("count") == plain.json().get("count")


@pytest.mark.parametrize("url", READS)
def test_it_ignores_unknown_names_as_staff_too(
    readable: None, client_as: Callable[[str], APIClient], url: str
) -> None:
    assert client_as("staff").get(with_unknown(url)).status_code == 200


@pytest.mark.parametrize(("url", "bad"), BAD.items())
def test_it_still_refuses_bad_values_beside_unknown_names(
    readable: None, api: APIClient, url: str, bad: str
) -> None:
    joiner = "&" if "?" in url else "?"
    response = api.get(f"{url}{joiner}{bad}&nosuch=1")
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == {bad.split("=")[0]}
