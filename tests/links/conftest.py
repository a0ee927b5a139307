"""Fixtures for cross-link tests: the fixture pages imported and linked."""

from __future__ import annotations

import pytest

from articles.models import Entity, ImportRun, Mention
from articles.services.linking import entities_link_for_import
from tests.services.conftest import FIXTURE_URLS, import_fixture


def import_and_link(name: str, *, force: bool = False) -> ImportRun:
    """Import fixture page ``name`` and run the linking step of its follow-ups."""
    run = import_fixture(name, force=force)
    entities_link_for_import(run=run)
    return run


@pytest.fixture
def archive(db: None) -> dict[str, ImportRun]:
    """All seven fixture pages, imported (big page first) and linked."""
    return {name: import_and_link(name) for name in FIXTURE_URLS}


@pytest.fixture
def linked_bigpage(db: None) -> ImportRun:
    """The June 11, 2020 big page alone, imported and linked."""
    return import_and_link("edition-2020-06-11-bigpage.html")


def entity(kind: str, name: str) -> Entity:
    return Entity.objects.get(kind=kind, name=name)


def mentions_of(kind: str, name: str) -> list[Mention]:
    return list(
        Mention.objects.filter(entity__kind=kind, entity__name=name).select_related(
            "article", "merge_item__article", "comment", "hardware"
        )
    )
