"""Each xdist worker (``make test``) keeps its database, folders and Redis database."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.conftest import OWNER_KEY, worker_broker_url, worker_number


def test_it_gives_worker_n_the_redis_database_n_below_the_base() -> None:
    base = "redis://127.0.0.1:6379/15"
    assert worker_broker_url(base, 0) == base
    assert worker_broker_url(base, 3) == "redis://127.0.0.1:6379/12"
    assert worker_broker_url("redis://:pw@redis:6380/4", 2) == "redis://:pw@redis:6380/2"


def test_it_refuses_to_hand_out_database_0_or_below() -> None:
    with pytest.raises(pytest.UsageError, match="gw5 would need Redis database 0"):
        worker_broker_url("redis://127.0.0.1:6379/5", 5)


def test_this_worker_owns_its_redis_database(broker_url: str) -> None:
    base = os.environ.get("LWNKB_TEST_BROKER_BASE_URL", broker_url)
    assert broker_url == worker_broker_url(base, worker_number())
    client = redis.Redis.from_url(broker_url)
    try:
        assert client.get(OWNER_KEY) == f"{socket.gethostname()}:{os.getpid()}".encode()
    finally:
        client.close()


@pytest.mark.django_db
def test_this_worker_has_a_test_database_of_its_own() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if connection.vendor == "sqlite":
        assert connection.settings_dict["NAME"] in (":memory:", "") or "mode=memory" in str(
            connection.settings_dict["NAME"]
        )
    elif worker:
        assert connection.settings_dict["NAME"].endswith(f"_{worker}")


def test_this_worker_keeps_index_and_fetch_cache_under_its_own_basetemp(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.getbasetemp()
    assert Path(settings.INDEX_DIR).is_relative_to(root)
    assert Path(settings.FETCH_CACHE_DIR).is_relative_to(root)
    # and the cache (cleared before every test) is the process's own
    assert settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache")
