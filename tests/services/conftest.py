"""Fixtures for service tests: LWN-format fixture pages and a fake lwn.net."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from articles.models import ImportRun
from articles.services.ingest import page_import
from tests.conftest import FIXTURES
from tests.lwnserver import FakeLWN

# Where each fixture page lives on lwn.net (the parser trusts a URL's /Articles/N/ id).
FIXTURE_URLS = {
    "edition-2020-06-11-bigpage.html": "https://lwn.net/Articles/822335/bigpage",
    "edition-2015-03-26-front.html": "https://lwn.net/Articles/637393/",
    "article-2020-capabilities-comments.html": "https://lwn.net/Articles/821729/",
    "article-2024-details-comments.html": "https://lwn.net/Articles/1006127/",
    "article-guest-dmabuf.html": "https://lwn.net/Articles/822052/",
    "brief-items-2020-06-11.html": "https://lwn.net/Articles/822336/",
    "subscription-required.html": "https://lwn.net/Articles/783673/",
}


def fixture_bytes(name: str) -> bytes:
    """The bytes of ``tests/fixtures/lwn/<name>``."""
    return (FIXTURES / "lwn" / name).read_bytes()


def import_fixture(name: str, *, data: bytes | None = None, force: bool = False) -> ImportRun:
    """Import fixture page ``name`` (or ``data`` in its place) as if fetched from its URL."""
    return page_import(
        data=fixture_bytes(name) if data is None else data,
        source=name,
        url=FIXTURE_URLS.get(name),
        force=force,
    )


@pytest.fixture
def bigpage_run(db: None) -> ImportRun:
    """The June 11, 2020 big-page edition, imported once."""
    return import_fixture("edition-2020-06-11-bigpage.html")


@pytest.fixture
def fake_lwn() -> Iterator[FakeLWN]:
    """A running FakeLWN; set ``fake_lwn.routes`` and read ``fake_lwn.requests``."""
    with FakeLWN() as server:
        yield server
