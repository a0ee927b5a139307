"""The sample pages, imported and indexed, and the API's list endpoints to walk over them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from articles import search
from tests.api.conftest import API
from tests.services.conftest import FIXTURE_URLS, import_fixture

# Every list an anonymous caller may read, with a query that finds rows in the samples.
LISTS = {
    "editions": f"{API}/editions/",
    "articles": f"{API}/articles/",
    "comments": f"{API}/comments/",
    "releases": f"{API}/releases/",
    "merge-window-items": f"{API}/merge-window-items/",
    "hardware": f"{API}/hardware/",
    "entities": f"{API}/entities/",
    "search": f"{API}/search/?q=kernel",
}
# Curators' and staff's lists (their serializers belong to curation.py and imports.py).
STAFF_LISTS = {"import-runs": f"{API}/import-runs/", "mentions": f"{API}/mentions/"}


@pytest.fixture
def samples(
    db: None, tmp_data_dir: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """Every sample page, imported and linked as production does it, then indexed.

    Each import commits, which runs its follow-ups (linking the entities) inline
    because tests have no broker.
    """
    for name in FIXTURE_URLS:
        with django_capture_on_commit_callbacks(execute=True):
            run = import_fixture(name)
        assert run.outcome == "ok", run.error
    search.index_rebuild()


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, value) in a JSON document, nested dicts and lists included."""
    yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from walk(inner, f"{path}[{index}]")
