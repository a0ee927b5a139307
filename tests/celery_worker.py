"""Run a real Celery worker process against the real Redis broker and the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def require_postgres(who: str) -> None:
    """Fail in CI, skip elsewhere, on SQLite: ``who`` ("the fault tests need") needs
    a database server that other processes share."""
    if connection.vendor != "postgresql":
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{who} PostgreSQL in CI")
        pytest.skip(f"{who} PostgreSQL (`make test-postgres`)")


def database_url() -> str:
    """The URL of the test database pytest-django created (workers must write there)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def client(broker_url: str) -> Celery:
    """A producer-only app: sends by task name, JSON like the workers expect."""
    # Not the current app: shared tasks (``refresh_comments.delay``) would then publish
    # through it in later tests, to this broker, whatever lwnkb's own app is set to.
    app = Celery("lwnkb-test-client", broker=broker_url, set_as_current=False)
    app.conf.task_serializer = "json"
    app.conf.accept_content = ["json"]
    return app


def purge(broker_url: str) -> None:
    with client(broker_url).connection_for_write() as conn:
        for queue in ("celery", "index"):
            conn.default_channel.queue_purge(queue)  # type: ignore[attr-defined]


class Worker:
    """``celery worker`` in a subprocess; logs go to a file shown on failure."""

    def __init__(
        self,
        *,
        name: str,
        broker_url: str,
        env: dict[str, str],
        log: Path,
        pool: str = "solo",
        concurrency: int = 1,
        own_group: bool = False,
    ):
        """``pool="prefork"`` runs ``concurrency`` child processes; ``own_group`` puts the
        worker in a process group of its own, so ``kill()`` can take down the worker and
        its children.
        """
        self.log = log
        self.own_group = own_group
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("LWNKB_")}
        full_env.update(env)
        full_env.update(
            {
                "LWNKB_DEBUG": "true",
                "LWNKB_BROKER_URL": broker_url,
                "LWNKB_DATABASE_URL": database_url(),
            }
        )
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lwnkb",
                "worker",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "--loglevel=info",
                f"--hostname={name}@%h",
                "--queues=celery,index",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=own_group,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker did not start:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.own_group:
            self._kill_group()  # pool children that outlived their parent
        if not self._log_file.closed:
            self._log_file.close()

    def kill(self) -> None:
        """SIGKILL, like the OOM killer or a power cut: no cleanup, no acknowledgement."""
        if self.own_group:
            self._kill_group()
        else:
            self.process.kill()
        self.process.wait(timeout=10)

    def _kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
            os.killpg(self.process.pid, signal.SIGKILL)

    def children(self) -> list[int]:
        """Process ids of the worker's pool processes (Linux)."""
        pid = self.process.pid
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(child) for child in path.read_text().split()] if path.exists() else []

    def output(self) -> str:
        return self.log.read_text()


def wait_for(check: Callable[[], Any], *, timeout: float = 90, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")
