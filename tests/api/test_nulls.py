"""Empty values are written as null, never as "", in every answer over the sample pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tests.api.samples import LISTS, STAFF_LISTS, samples, walk

pytestmark = pytest.mark.django_db
__all__ = ["samples"]  # a fixture

# Serializers other helpers own (articles/api/imports.py, curation.py), still writing "".
PENDING: dict[str, set[str]] = {"import-runs": {".error", ".parser_version"}}


def blanks(document: object) -> list[str]:
    return [path for path, value in walk(document) if value == ""]


def test_it_writes_no_empty_strings_in_lists_or_details(
    samples: None, client_as: Callable[[str], APIClient]
) -> None:
    """The first item of every list, and the detail its ``url`` names."""
    checked = 0
    for persona, lists in (("anonymous", LISTS), ("staff", STAFF_LISTS)):
        client = client_as(persona)
        for name, url in lists.items():
            page = client.get(url)
            assert page.status_code == 200, (url, page.content)
            assert page.json()["results"], f"{name}: the samples give it no rows"
            first = page.json()["results"][0]
            allowed = PENDING.get(name, set())
            assert [p for p in blanks(first) if p not in allowed] == [], name
            detail_url = first.get("api_url") or first["url"]
            detail = client.get(detail_url)
            assert detail.status_code == 200, (detail_url, detail.content)
            assert [p for p in blanks(detail.json()) if p not in allowed] == [], detail_url
            checked += 1
    assert checked == len(LISTS) + len(STAFF_LISTS)


def test_it_writes_no_empty_strings_in_the_article_pages(samples: None, api: APIClient) -> None:
    """An edition with its items, a thread, a release page and an entity with its mentions."""
    for url in (
        "/api/v1/editions/822335/",
        "/api/v1/articles/821729/",
        "/api/v1/articles/821729/comments/",
        "/api/v1/releases/5.8/",
        "/api/v1/entities/syscall/faccessat2/",
        "/api/v1/entities/syscall/faccessat2/mentions/",
    ):
        response = api.get(url)
        assert response.status_code == 200, url
        assert blanks(response.json()) == [], url
