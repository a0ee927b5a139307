"""Fixtures for the fault tests: PostgreSQL only, throwaway brokers, the fixture edition."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.faults.services import RedisServer


@pytest.fixture
def postgres_only() -> None:
    # Workers, killed connections and advisory locks need a server database.
    if connection.vendor != "postgresql":
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("the fault tests need PostgreSQL in CI")
        pytest.skip("the fault tests need PostgreSQL (`make test-postgres`)")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A running redis-server of this test's own, killed at the end whatever happened."""
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    yield server
    server.kill()
