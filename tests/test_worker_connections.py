"""A real worker keeps its PostgreSQL connection between tasks, as Django does between
requests, and replaces one that broke.

Celery's Django fixup closed it before and after every task: each task paid for a new
backend (its catalog caches, the tally triggers compiled again), about half of a short
link task's time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.celery_worker import Worker, client, purge, require_postgres, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GONE_RUN = 999_999  # ``after_import`` of a run that does not exist: one query, then done


@pytest.fixture(autouse=True)
def _needs_postgres() -> None:
    require_postgres("Celery worker tests need")


@pytest.fixture
def worker(broker_url: str, tmp_path: Path) -> Iterator[Worker]:
    purge(broker_url)
    # Prefork, as deployed: the fixup's closing applies to pool processes.
    worker = Worker(
        name="conn",
        broker_url=broker_url,
        log=tmp_path / "worker.log",
        env={"LWNKB_DATA_DIR": str(tmp_path / "data")},
        pool="prefork",
        concurrency=1,
    )
    worker.wait_ready()
    yield worker
    worker.stop()
    purge(broker_url)


def sessions() -> set[int]:
    """Process ids of the other sessions on the test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.fixture
def worker_backends(worker: Worker) -> Callable[[], list[int]]:
    """The worker's sessions: those opened since it started (an earlier test of the same
    test process may have left one of its own)."""
    before = sessions()
    return lambda: sorted(sessions() - before)


def run_tasks(worker: Worker, broker_url: str, n: int) -> None:
    done = len(re.findall(r"after_import\[[^]]+\] succeeded", worker.output()))
    for _ in range(n):
        client(broker_url).send_task("articles.tasks.after_import", args=[GONE_RUN])
    wait_for(
        lambda: len(re.findall(r"after_import\[[^]]+\] succeeded", worker.output())) >= done + n,
        what=f"{n} task(s) done",
        timeout=60,
    )


def test_it_keeps_the_database_connection_from_one_task_to_the_next(
    worker: Worker, broker_url: str, worker_backends: Callable[[], list[int]]
) -> None:
    run_tasks(worker, broker_url, 1)
    first = worker_backends()
    assert len(first) == 1, worker.output()[-3000:]
    run_tasks(worker, broker_url, 5)
    assert worker_backends() == first


def test_it_connects_again_when_its_connection_was_ended_between_tasks(
    worker: Worker, broker_url: str, worker_backends: Callable[[], list[int]]
) -> None:
    run_tasks(worker, broker_url, 1)
    [backend] = worker_backends()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    wait_for(lambda: backend not in worker_backends(), what="the backend to end")
    # The health check finds the connection dead and opens another: the task succeeds.
    run_tasks(worker, broker_url, 1)
    assert "Traceback" not in worker.output()
    [replacement] = worker_backends()
    assert replacement != backend
