"""Fixtures for the fault tests: PostgreSQL only, throwaway brokers, the fixture edition."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.celery_worker import require_postgres
from tests.faults.services import RedisServer


@pytest.fixture
def postgres_only() -> None:
    # Workers, killed connections and advisory locks need a server database.
    require_postgres("the fault tests need")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A running redis-server of this test's own, killed at the end whatever happened."""
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    yield server
    server.kill()
