"""The database connection drops in the middle of an import.

A second connection locks a table the import writes after its edition and
articles, waits until the import blocks on it, and terminates the import's
backend (``pg_terminate_backend``), as a database restart or failover would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from articles.models import Article, ArticleAuthor, Author, Edition, ImportRun, RawPage
from tests.faults.services import pg_connect, wait_for_lock_waiter
from tests.services.conftest import import_fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]

BIGPAGE = "edition-2020-06-11-bigpage.html"


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def counts() -> dict[str, int]:
    models: list[Any] = [Edition, Article, Author, ArticleAuthor]
    return {model.__name__: model.objects.count() for model in models}


class Terminator(threading.Thread):
    """Holds a lock on ``table`` and kills the first backend that waits for it."""

    def __init__(self, table: str) -> None:
        super().__init__(daemon=True)
        self.table = table
        self.ready = threading.Event()
        self.killed: int | None = None
        self.written: set[str] = set()  # tables the import had written to when cut
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with pg_connect() as holder, pg_connect() as watcher:
                holder_pid = holder.info.backend_pid
                with holder.transaction():
                    # Blocks writes to the table, not reads.
                    holder.execute(f"LOCK TABLE {self.table} IN SHARE ROW EXCLUSIVE MODE")
                    self.ready.set()
                    pid = wait_for_lock_waiter(watcher, exclude={holder_pid}, timeout=30)
                    rows = watcher.execute(
                        "SELECT relation::regclass::text FROM pg_locks"
                        " WHERE pid = %s AND mode = 'RowExclusiveLock' AND granted",
                        [pid],
                    ).fetchall()
                    self.written = {row[0] for row in rows}
                    watcher.execute("SELECT pg_terminate_backend(%s)", [pid])
                    self.killed = pid
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc
            self.ready.set()


@pytest.fixture(params=[Author._meta.db_table, ArticleAuthor._meta.db_table])
def terminator(request: pytest.FixtureRequest) -> Iterator[Terminator]:
    thread = Terminator(request.param)
    thread.start()
    assert thread.ready.wait(10)
    yield thread
    thread.join(10)


def test_it_rolls_back_records_the_failure_and_a_rerun_succeeds(terminator: Terminator) -> None:
    before = counts()
    pid_before = backend_pid()

    run = import_fixture(BIGPAGE)

    terminator.join(10)
    assert terminator.error is None, terminator.error
    assert terminator.killed == pid_before  # the import's own connection was the one cut
    # Cut mid-transaction: the edition and its articles were already written.
    assert {Edition._meta.db_table, Article._meta.db_table} <= terminator.written
    # The failure was written on a fresh connection, after the drop.
    assert backend_pid() != pid_before
    run.refresh_from_db()
    assert run.outcome == "failed"
    assert "could not store the page" in run.error
    assert "terminat" in run.error  # PostgreSQL's "terminating connection due to …"
    assert run.finished_at is not None
    # The edition and articles written before the lock were rolled back with the rest.
    assert counts() == before
    # The page itself was kept before the transaction began, so nothing needs fetching.
    assert run.raw_page_id is not None
    assert RawPage.objects.filter(pk=run.raw_page_id).exists()

    rerun = import_fixture(BIGPAGE)

    assert rerun.outcome == "ok", rerun.error
    assert rerun.raw_page_id == run.raw_page_id
    after = counts()
    assert after["Edition"] == 1
    assert after["Article"] == rerun.counts["articles_created"]
    assert after["ArticleAuthor"] > 0
    assert list(ImportRun.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "failed",
        "ok",
    ]
