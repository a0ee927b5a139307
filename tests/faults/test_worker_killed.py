"""A worker is killed in the middle of a task: the task is redelivered, its effect happens once.

The task is ``import_edition``, held mid-transaction: this test holds the
edition's advisory lock, so the worker has stored the raw page and opened its
ImportRun and then waits inside the store transaction. Two mechanisms bring
the unacknowledged message back (tasks acknowledge late):

- the whole worker (process group) is SIGKILLed, so nobody is left to give
  the message back: Redis's visibility timeout does, and a new worker runs it;
- only the pool process is SIGKILLed: the surviving parent rejects the
  message with requeue (``task_reject_on_worker_lost``) and runs it again at
  once, long before the (default, one hour) visibility timeout.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis

from articles.models import Article, Edition, ImportRun
from articles.services.followup import import_followups_sweep
from tests.celery_worker import Worker, client, wait_for
from tests.faults.services import RedisServer, pg_connect, wait_for_lock_waiter
from tests.lwnserver import FakeLWN, Reply
from tests.services.conftest import fixture_bytes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

EDITION = 822335
# A short visibility timeout redelivers within the test; the tasks here finish well inside it.
VISIBILITY_TIMEOUT = 10
StartWorker = Callable[..., Worker]


@pytest.fixture
def fake_site() -> Iterator[FakeLWN]:
    # Only the big page: each feature's page answers 404, a quick failed run of its own.
    bigpage = fixture_bytes("edition-2020-06-11-bigpage.html")
    with FakeLWN({f"/Articles/{EDITION}/bigpage": Reply(body=bigpage)}) as site:
        yield site


@pytest.fixture
def start_worker(
    redis_server: RedisServer, fake_site: FakeLWN, tmp_path: Path
) -> Iterator[StartWorker]:
    workers: list[Worker] = []

    def start(name: str, *, env: dict[str, str] | None = None) -> Worker:
        worker = Worker(
            name=name,
            broker_url=redis_server.url,
            log=tmp_path / f"{name}.log",
            pool="prefork",
            own_group=True,
            env={
                "LWNKB_LWN_BASE_URL": fake_site.url,
                "LWNKB_FETCH_INTERVAL": "0",
                "LWNKB_DATA_DIR": str(tmp_path / name),
                **(env or {}),
            },
        )
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def edition_lock() -> Iterator[psycopg.Connection[Any]]:
    """Hold the advisory lock an import of the edition takes first in its transaction."""
    with pg_connect() as conn:
        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x4C574E, EDITION])
        yield conn
        if not conn.closed:
            conn.execute("ROLLBACK")


def wait_until_blocked(
    lock: psycopg.Connection[Any], worker: Worker, *, seen: Collection[int] = ()
) -> int:
    """The pid of the task's database backend, once it waits for the lock held by ``lock``."""
    with pg_connect() as watcher:
        try:
            exclude = {lock.info.backend_pid, *seen}
            return wait_for_lock_waiter(watcher, exclude=exclude, timeout=60)
        except AssertionError:
            output = worker.output()[-3000:]
            raise AssertionError(f"the task never reached the lock:\n{output}") from None


def settled(broker: redis.Redis) -> bool:
    """Every message acknowledged: none queued, none delivered and unacknowledged."""
    queued = broker.llen("celery") + broker.llen("index")
    return queued == 0 and broker.zcard("unacked_index") == 0 and broker.hlen("unacked") == 0


def bigpage_runs() -> list[str]:
    runs = ImportRun.objects.filter(source__endswith=f"/Articles/{EDITION}/bigpage")
    return sorted(runs.values_list("outcome", flat=True))


def assert_imported_once(site: FakeLWN) -> None:
    # The killed attempt left its ImportRun open; everything it wrote was rolled back.
    assert bigpage_runs() == ["ok", "running"]
    ok = ImportRun.objects.get(outcome="ok", source__endswith="bigpage")
    assert Edition.objects.filter(lwn_id=EDITION).count() == 1
    # One complete import: it created every article of the edition, none existed before.
    assert Article.objects.filter(edition__lwn_id=EDITION).count() == ok.counts["articles_created"]
    # The comment pages it queues after commit were queued once, not once per attempt.
    features = {f"{site.url}/Articles/{i}/" for i in (822349, 822256, 821534, 821729, 822052)}
    for source in features | {f"{site.url}/Articles/822350/"}:
        assert ImportRun.objects.filter(source=source).count() == 1, source
    # The sweep closes the interrupted attempt, so the audit trail tells the story.
    report = import_followups_sweep(interrupted_after=dt.timedelta(0))
    assert report.interrupted == 1
    assert bigpage_runs() == ["failed", "ok"]
    assert (
        "interrupted" in ImportRun.objects.get(outcome="failed", source__endswith="bigpage").error
    )


def test_it_redelivers_after_the_visibility_timeout_when_the_whole_worker_dies(
    start_worker: StartWorker,
    redis_server: RedisServer,
    fake_site: FakeLWN,
    edition_lock: psycopg.Connection[Any],
) -> None:
    fast = {"LWNKB_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    first = start_worker("first", env=fast)
    task_id = client(redis_server.url).send_task("articles.tasks.import_edition", [EDITION]).id
    sent = time.monotonic()
    wait_until_blocked(edition_lock, first)

    first.kill()  # SIGKILL to the process group: parent and pool process, no goodbyes
    edition_lock.execute("ROLLBACK")
    broker = redis.Redis.from_url(redis_server.url)
    assert broker.hlen("unacked") == 1  # delivered, never acknowledged, kept by Redis

    second = start_worker("second", env=fast)
    wait_for(lambda: settled(broker) and "ok" in bigpage_runs(), timeout=90, what="redelivery")
    # Not before the visibility timeout: that, not a requeue, brought the message back.
    assert time.monotonic() - sent >= VISIBILITY_TIMEOUT
    assert f"Task articles.tasks.import_edition[{task_id}] received" in second.output()
    assert f"[{task_id}] succeeded" in second.output()
    assert_imported_once(fake_site)


def test_it_requeues_at_once_when_only_the_pool_process_dies(
    start_worker: StartWorker,
    redis_server: RedisServer,
    fake_site: FakeLWN,
    edition_lock: psycopg.Connection[Any],
) -> None:
    worker = start_worker("survivor")  # the default visibility timeout: an hour
    client(redis_server.url).send_task("articles.tasks.import_edition", [EDITION])
    killed = wait_until_blocked(edition_lock, worker)
    (child,) = worker.children()

    os.kill(child, signal.SIGKILL)
    # The parent notices, rejects the message with requeue and a new pool process takes
    # it: a second delivery of the same task, waiting at the same point from a new backend
    # (the killed one still waits too, until the lock is free and it finds its client gone).
    wait_until_blocked(edition_lock, worker, seen={killed})
    assert worker.children() not in ([], [child])
    edition_lock.execute("ROLLBACK")

    broker = redis.Redis.from_url(redis_server.url)
    wait_for(lambda: settled(broker) and "ok" in bigpage_runs(), timeout=90, what="the rerun")
    assert "WorkerLostError" in worker.output()
    assert_imported_once(fake_site)
