"""Every list and detail endpoint runs a fixed number of queries, however much data.

Each case is measured with 2 and with 10 rows of everything (editions, articles
with two authors, threads, merge-window items, devices, import runs); the
count must be the same both times and equal to the pinned number. Logged-in
personas add the session and user (2) and, for a non-superuser, the two
permission lookups behind ``has_perm`` (2).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from articles.models import ImportRun
from tests.api.conftest import API, Archive

pytestmark = pytest.mark.django_db

Url = Callable[[Archive], str]

CASES: list[tuple[str, Url, int]] = [
    ("editions", lambda a: f"{API}/editions/", 2),
    ("edition", lambda a: f"{API}/editions/{a.articles[0].edition.lwn_id}/", 3),  # type: ignore[union-attr]
    ("articles", lambda a: f"{API}/articles/", 3),
    ("article", lambda a: f"{API}/articles/{a.articles[0].lwn_id}/", 3),  # + its entities
    ("thread", lambda a: f"{API}/articles/{a.articles[0].lwn_id}/comments/", 2),
    ("comments", lambda a: f"{API}/comments/", 2),
    ("comment", lambda a: f"{API}/comments/{a.comments[0].lwn_id}/", 1),
    ("releases", lambda a: f"{API}/releases/", 2),
    ("release", lambda a: f"{API}/releases/5.8/", 6),
    ("merge-window-items", lambda a: f"{API}/merge-window-items/", 2),
    ("merge-window-item", lambda a: f"{API}/merge-window-items/{_item(a)}/", 1),
    ("hardware", lambda a: f"{API}/hardware/", 2),
    ("device", lambda a: f"{API}/hardware/{_device(a)}/", 1),
]


def _run(archive: Archive) -> int:
    return ImportRun.objects.get(edition=archive.articles[0].edition).pk


def _item(archive: Archive) -> int:
    return archive.articles[0].merge_items.get().pk


def _device(archive: Archive) -> int:
    return archive.articles[0].hardware.get().pk


def _measure(
    client: APIClient,
    archive: Archive,
    url: Url,
    django_assert_num_queries: Callable[[int], object],
    expected: int,
) -> None:
    for size in (2, 10):
        archive.grow(size - len(archive.articles))
        target = url(archive)
        with django_assert_num_queries(expected):  # type: ignore[attr-defined]
            response = client.get(target)
        assert response.status_code == 200, response.content


@pytest.mark.parametrize(("name", "url", "queries"), CASES, ids=[c[0] for c in CASES])
def test_it_pins_anonymous_query_counts(
    name: str,
    url: Url,
    queries: int,
    api: APIClient,
    archive: Archive,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    _measure(api, archive, url, django_assert_num_queries, queries)


@pytest.mark.parametrize(("name", "url", "queries"), CASES, ids=[c[0] for c in CASES])
def test_it_pins_subscriber_query_counts(
    name: str,
    url: Url,
    queries: int,
    client_as: Callable[[str], APIClient],
    archive: Archive,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    """Session, user and the two permission lookups on top of the anonymous count."""
    _measure(client_as("subscriber"), archive, url, django_assert_num_queries, queries + 4)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (lambda a: f"{API}/import-runs/", 4),
        (lambda a: f"{API}/import-runs/{_run(a)}/", 3),
    ],
    ids=["import-runs", "import-run"],
)
def test_it_pins_staff_query_counts(
    url: Url,
    queries: int,
    client_as: Callable[[str], APIClient],
    archive: Archive,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    """Staff are superusers: session and user, no permission lookups."""
    _measure(client_as("staff"), archive, url, django_assert_num_queries, queries)
