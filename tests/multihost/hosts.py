"""Processes that stand in for separate hosts: gunicorn and Celery, each in its own folder.

Every process runs lwnkb's production settings (DEBUG off) with nothing inherited
from the test run's ``LWNKB_*`` variables, in a working directory and data folder
of its own, so nothing on disk can be shared between "hosts"; only PostgreSQL and
Redis are. Each is started in a process group of its own, so stopping it also
ends gunicorn's workers or a Celery pool.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "multihost-test-only-secret-key-not-for-production-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ScratchDatabase:
    """A PostgreSQL database of its own on the test server, dropped by ``drop()``."""

    def __init__(self, *, host: str, port: int, user: str, password: str) -> None:
        self.name = f"lwnkb_multihost_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        auth = user + (f":{urllib.parse.quote(password)}" if password else "")
        self._server = f"postgres://{auth}@{host}:{port}"
        self.url = f"{self._server}/{self.name}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(f"{self._server}/postgres", autocommit=True)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()

    def drop(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class RedisDatabase:
    """An empty Redis database number claimed for one test, emptied again by ``release()``.

    The claim key is set only where the database is empty, so two runs (or another
    test's broker on database 15) never share queues.
    """

    CLAIM = "lwnkb:multihost:claim"

    def __init__(self, broker_url: str, *, numbers: range = range(14, 1, -1)) -> None:
        parts = urllib.parse.urlsplit(broker_url)
        for number in numbers:
            url = parts._replace(path=f"/{number}").geturl()
            client = redis.Redis.from_url(url)
            if client.dbsize() == 0 and client.set(self.CLAIM, uuid.uuid4().hex, nx=True):
                self.url, self._client = url, client
                return
            client.close()
        raise AssertionError(f"no empty Redis database on {parts.netloc} to claim")

    def release(self) -> None:
        self._client.flushdb()
        self._client.close()


def host_env(**lwnkb: str) -> dict[str, str]:
    """Production settings for one process; ``lwnkb`` gives ``LWNKB_<KEY>`` values."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LWNKB_")
        and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "PYTHONPATH")
    }
    env.update(
        {
            # The process runs in its own folder, not the checkout: import lwnkb from there.
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "lwnkb.settings",
            "LWNKB_DEBUG": "false",
            "LWNKB_SECRET_KEY": SECRET_KEY,
            "LWNKB_ALLOWED_HOSTS": "127.0.0.1",
            "LWNKB_SSL_REDIRECT": "false",  # plain HTTP on the loopback; no TLS proxy here
        }
    )
    env.update({f"LWNKB_{key.upper()}": value for key, value in lwnkb.items()})
    return env


def manage(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


class Host:
    """One long-running process (gunicorn or a Celery worker) standing in for a host."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str], home: Path) -> None:
        self.name = name
        home.mkdir(parents=True)
        self.log = home / f"{name}.log"
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=home,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text()

    def alive(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        """SIGTERM to the whole group, SIGKILL to what is left after a grace period."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL follows
            self.process.wait(timeout=15)
        # Children (gunicorn workers, a pool) that outlived their parent.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self._log_file.close()


def gunicorn(name: str, *, env: dict[str, str], home: Path) -> tuple[Host, int]:
    port = free_port()
    args = ["gunicorn", "lwnkb.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", "2", "--error-logfile", "-", "--access-logfile", "-"]
    return Host(name, args, env=env, home=home), port


def celery_worker(name: str, *, env: dict[str, str], home: Path) -> Host:
    args = ["celery", "-A", "lwnkb", "worker", "--pool=solo", "--loglevel=info"]
    args += [f"--hostname={name}@%h", "--queues=celery,index"]
    args += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return Host(name, args, env=env, home=home)


def get_json(port: int, path: str) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, json.loads(body) if body else None


def wait_until_serving(host: Host, port: int, timeout: float = 45) -> None:
    """Until the home page answers 200 (a cheap page, outside the API's throttle)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        host.alive()
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"{host.name} did not answer:\n{host.output()[-4000:]}")


def wait_until_ready(worker: Host, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        worker.alive()
        if " ready." in worker.output():
            return
        time.sleep(0.2)
    raise AssertionError(f"{worker.name} did not start:\n{worker.output()[-4000:]}")
