"""Search fixtures: a private index per test, the fixture archive, and reader personas."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles import search
from articles.models import ImportRun
from articles.models.articles import SUBSCRIBER_PERMISSION
from tests.services.conftest import FIXTURE_URLS, import_fixture

ALL_FIXTURES = tuple(FIXTURE_URLS)


@pytest.fixture(autouse=True)
def _private_index(tmp_data_dir: Path) -> Path:
    """Every search test writes its index under its own tmp folder, never var/."""
    return tmp_data_dir / "index"


class Reader:
    """A stand-in for a user in facade tests: no database, one permission or none."""

    def __init__(self, *, subscriber: bool) -> None:
        self.subscriber = subscriber

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.subscriber and perm == SUBSCRIBER_PERMISSION


ANONYMOUS = Reader(subscriber=False)
SUBSCRIBER = Reader(subscriber=True)


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


def search_labels(results: search.SearchResults) -> list[str]:
    """Readable, stable names for hits: LWN ids, device names, merge-window groups."""
    labels = []
    for hit in results.hits:
        if hit.type in ("article", "comment"):
            labels.append(f"{hit.type}:{hit.lwn_id or hit.title}")
        else:
            labels.append(f"{hit.type}:{hit.section if hit.type == 'merge' else hit.title}")
    return labels
