"""Throwaway services the fault tests may break: their own redis-server, raw PostgreSQL.

The machine's shared Redis is never stopped (other test runs use it); each
test that takes a broker away starts its own ``redis-server`` on a free port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kombu.pools
import psycopg
import pytest
from django.conf import settings
from django.db import connection

from lwnkb.celery import app
from tests.celery_worker import Worker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """``redis-server`` without persistence, so a kill loses every queued message."""

    def __init__(self, log: Path) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail("redis-server is not installed (the fault tests need their own)")
            pytest.skip("redis-server is not installed")
        self.exe = exe
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [self.exe, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"redis-server did not start:\n{self.log.read_text()[-2000:]}")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL: the broker vanishes with whatever it held."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextmanager
def celery_on(broker_url: str) -> Iterator[Any]:
    """Make this process's Celery app publish to ``broker_url`` instead of running inline.

    Settings are read once when the app is configured, so the app's own
    configuration and its cached connection pools are switched and restored.
    """
    conf = app.conf
    saved = {"broker_url": conf.broker_url, "task_always_eager": conf.task_always_eager}
    _reset_pools()
    conf.update(broker_url=broker_url, task_always_eager=False)
    try:
        yield app
    finally:
        _reset_pools()
        conf.update(saved)


@contextmanager
def index_worker(name: str, *, broker_url: str, tmp_path: Path) -> Iterator[Worker]:
    """A real worker on ``broker_url`` that writes the search index this process reads."""
    worker = Worker(
        name=name,
        broker_url=broker_url,
        log=tmp_path / f"{name}.log",
        env={
            "LWNKB_DATA_DIR": str(tmp_path / name),
            "LWNKB_INDEX_DIR": str(settings.INDEX_DIR),
        },
    )
    try:
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()


def _reset_pools() -> None:
    # kombu keeps pools in process-wide registries keyed by broker: closing one there
    # without clearing them would hand the closed pool to the next test (even inline
    # tasks acquire a producer), so reset the registries as kombu does after a fork.
    kombu.pools.reset()
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


def pg_connect() -> psycopg.Connection[Any]:
    """A connection of our own to the test database, beside Django's."""
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=int(s["PORT"] or 5432),
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
        autocommit=True,
    )


def backend_waiting_for_lock(
    conn: psycopg.Connection[Any], *, exclude: Collection[int]
) -> int | None:
    """The pid of a backend of the test database blocked on a lock, other than ``exclude``."""
    row = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock' AND pid <> ALL(%s) AND pid <> pg_backend_pid()"
        " ORDER BY backend_start LIMIT 1",
        [list(exclude)],
    ).fetchone()
    return int(row[0]) if row else None


def wait_for_lock_waiter(
    conn: psycopg.Connection[Any], *, exclude: Collection[int], timeout: float
) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (pid := backend_waiting_for_lock(conn, exclude=exclude)) is not None:
            return pid
        time.sleep(0.05)
    raise AssertionError("nothing blocked on the lock in time")
