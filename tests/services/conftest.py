"""Fixtures for service tests: LWN-format fixture pages, a fake lwn.net, fetchers for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from articles.models import ImportRun
from articles.services.fetch import LWNFetcher
from articles.services.fetch.limits import RateLimiter
from articles.services.ingest import page_import
from tests.conftest import FIXTURES
from tests.lwnserver import FakeLWN, Reply

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


UA = "lwnkb-tests/1.0 (+https://example.org/lwnkb)"
PAGE = "<html><head><title>An article [LWN.net]</title></head><body>Text</body></html>"
ETAG = '"v1"'
LAST_MODIFIED = "Thu, 11 Jun 2020 14:00:00 GMT"


def page(**headers: str) -> Reply:
    """A 200 of ``PAGE`` with validators for conditional GETs, and any other ``headers``."""
    return Reply(200, PAGE, {"ETag": ETAG, "Last-Modified": LAST_MODIFIED, **headers})


class FakeTime:
    """A clock that only moves when slept on; records rate-limit and backoff sleeps apart."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []  # the rate limiter's
        self.backoffs: list[float] = []  # between retries

    def clock(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def backoff(self, seconds: float) -> None:
        self.backoffs.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "http-cache"


@pytest.fixture
def make_fetcher(
    fake_lwn: FakeLWN, cache_dir: Path, fake_time: FakeTime
) -> Iterator[Callable[..., LWNFetcher]]:
    made: list[LWNFetcher] = []

    def make(**overrides: Any) -> LWNFetcher:
        options: dict[str, Any] = {
            "base_url": fake_lwn.url,
            "cache_dir": cache_dir,
            "user_agent": UA,
            "interval": 1.0,
            "limiter": RateLimiter(clock=fake_time.clock, sleep=fake_time.wait),
            "sleep": fake_time.backoff,
            "jitter": lambda: 0.0,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
        }
        options.update(overrides)
        made.append(LWNFetcher(**options))
        return made[-1]

    yield make
    for fetcher in made:
        fetcher.close()


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())
