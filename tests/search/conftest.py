"""Search fixtures: both backends, a private index per test, the archive, reader personas.

Every test here runs once per search backend (``[whoosh]`` and ``[postgres]``),
through the autouse ``search_backend`` fixture. The postgres run is skipped only
when the test database is not PostgreSQL (the SQLite smoke run); in CI the suite
runs on PostgreSQL, so both run. Tests about whoosh's own machinery (the index
folder, postings, rebuild swaps; mostly under ``whoosh/``) carry
``@pytest.mark.whoosh_only``; tests of the PostgreSQL engine itself (``pg/``) carry
``@pytest.mark.postgres_only``; tests that do
not search (the parser, the analyzers, task routing) or choose the backend
themselves carry ``@pytest.mark.backend_independent`` and run once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from articles import search
from articles.models import Comment, ImportRun
from articles.models.articles import SUBSCRIBER_PERMISSION
from articles.search import IndexDocument
from tests.factories import ArticleFactory
from tests.services.conftest import FIXTURE_URLS, import_fixture

ALL_FIXTURES = tuple(FIXTURE_URLS)
BACKENDS = ("whoosh", "postgres")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "whoosh_only: tests whoosh's index machinery only")
    config.addinivalue_line("markers", "postgres_only: tests the PostgreSQL backend only")
    config.addinivalue_line(
        "markers", "backend_independent: runs once (does not search, or picks its backend)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marked = metafunc.definition.get_closest_marker
    if "search_backend" not in metafunc.fixturenames or marked("backend_independent"):
        return
    if marked("whoosh_only"):
        backends: tuple[str, ...] = ("whoosh",)
    elif marked("postgres_only"):
        backends = ("postgres",)
    else:
        backends = BACKENDS
    metafunc.parametrize("search_backend", backends, indirect=True)


@pytest.fixture(autouse=True)
def search_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The backend this run of the test searches with (``settings.SEARCH_BACKEND``)."""
    backend: str = getattr(request, "param", "whoosh")
    if backend == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the postgres search backend needs a PostgreSQL test database")
    with override_settings(SEARCH_BACKEND=backend):
        yield backend


@pytest.fixture(autouse=True)
def _private_index(tmp_data_dir: Path) -> Path:
    """Every search test writes its index under its own tmp folder, never var/."""
    return tmp_data_dir / "index"


class Viewer:
    """A stand-in for a user in facade tests: no database, one permission or none."""

    def __init__(self, *, subscriber: bool) -> None:
        self.subscriber = subscriber

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.subscriber and perm == SUBSCRIBER_PERMISSION


ANONYMOUS = Viewer(subscriber=False)
SUBSCRIBER = Viewer(subscriber=True)


def import_all(names: tuple[str, ...] = ALL_FIXTURES) -> list[ImportRun]:
    runs = [import_fixture(name) for name in names]
    assert [r.outcome for r in runs] == ["ok"] * len(runs), [r.error for r in runs]
    return runs


@pytest.fixture
def indexed_archive(db: None, django_capture_on_commit_callbacks) -> list[ImportRun]:
    """All seven fixture pages, imported and indexed the way production does it.

    Each import commits, which runs the follow-ups (linking, then the index task)
    inline because tests have no broker.
    """
    runs = []
    for name in ALL_FIXTURES:
        with django_capture_on_commit_callbacks(execute=True):
            runs.append(import_fixture(name))
    assert [r.outcome for r in runs] == ["ok"] * len(runs)
    return runs


STORED_ID = 950_000  # comment LWN ids of store_documents' rows are this plus their pk


def store_documents(docs: list[IndexDocument]) -> None:
    """Plain documents stored as comments on one article, then indexed (whoosh).

    Every backend searches them: the postgres one reads the rows, whoosh the index
    rebuilt from them. ``stored_ids`` maps hits back to the documents' ``pk``.
    """
    article = ArticleFactory.create(title="Thread", body_text="", edition=None, date=None)
    posted = dt.datetime(2020, 6, 8, 12, 0, tzinfo=dt.UTC)
    Comment.objects.bulk_create(
        Comment(
            lwn_id=STORED_ID + doc["pk"],
            article=article,
            thread_position=n,
            title=doc["title"],
            body_text=doc["body"],
            poster_name="reader",
            posted_at=posted,
        )
        for n, doc in enumerate(docs)
    )
    search.index_rebuild()


def stored_ids(results: search.SearchResults) -> set[int]:
    return {hit.lwn_id - STORED_ID for hit in results.hits if hit.lwn_id and hit.type == "comment"}


def search_labels(results: search.SearchResults) -> list[str]:
    """Readable, stable names for hits: LWN ids, device names, merge-window groups."""
    labels = []
    for hit in results.hits:
        if hit.type in ("article", "comment"):
            labels.append(f"{hit.type}:{hit.lwn_id or hit.title}")
        else:
            labels.append(f"{hit.type}:{hit.section if hit.type == 'merge' else hit.title}")
    return labels
