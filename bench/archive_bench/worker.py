"""A real Celery worker on the scale's Redis database, as deployed (prefork, 2 children).

Like ``docker-compose.yml``'s worker: both queues (``celery`` for linking,
``index`` for the one index writer), two pool processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from .target import ROOT, Target

QUEUES = ("celery", "index")


def broker_flush(target: Target) -> None:
    """Drop a previous run's queued and unacknowledged tasks from the broker database.

    Only Celery's keys: the database may hold other keys (the test suite's owner key
    of this database, tests/conftest.py), which are not ours to delete.
    """
    import redis

    r = redis.Redis.from_url(target.redis_url)
    keys = [*QUEUES, "unacked", "unacked_index", "unacked_mutex"]
    keys += list(r.scan_iter("_kombu.binding.*"))
    r.delete(*keys)


def queued(target: Target) -> int:
    """Messages waiting or delivered but not yet acknowledged."""
    import redis

    r = redis.Redis.from_url(target.redis_url)
    return sum(int(r.llen(q)) for q in QUEUES) + int(r.hlen("unacked"))


class Worker:
    def __init__(self, target: Target, log: Path, *, concurrency: int = 2, backend: str = "whoosh"):
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._file = log.open("w")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "lwnkb", "worker"),
                *("--pool=prefork", f"--concurrency={concurrency}", "--loglevel=info"),
                *(f"--hostname=archive-bench-{target.label}@%h", "--queues=" + ",".join(QUEUES)),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=target.env(backend=backend),
            stdout=self._file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self) -> Worker:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"worker did not start:\n{self.log.read_text()[-3000:]}")

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # pool children that outlived it
            os.killpg(self.process.pid, signal.SIGKILL)
        self._file.close()
