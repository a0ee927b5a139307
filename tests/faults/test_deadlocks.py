"""Writers of mentions cannot deadlock, and a deadlock nobody foresaw costs a retry.

An import that gives an article a new date updates its mentions (a trigger), and a
link batch writes entities and mentions; both then keep the tallies, under one
advisory lock. Each test holds that lock from a connection of its own, the way a
link batch on a Celery worker would, and checks what the other writer holds while it
waits: never a row the lock holder may want next.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import DatabaseError, connection, connections, transaction

from articles.models import Article, Entity, EntityKind, Mention
from articles.services.linking import articles_link
from articles.services.sql.retry import atomic_retried, is_transient
from tests.factories import ArticleFactory
from tests.faults.services import backend_waiting_for_lock, pg_connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]

TALLIES_LOCK = "SELECT pg_advisory_xact_lock(hashtext('articles_entitytally'))"


class Beside:
    """``call`` in a thread with its own Django connection; its error is kept, not lost."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.error: BaseException | None = None
        self.value: Any = None

        def run() -> None:
            try:
                self.value = call()
            except BaseException as exc:  # handed back to the test
                self.error = exc
            finally:
                connections.close_all()

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def join(self) -> Any:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error
        return self.value


def waiting_pid(watcher: psycopg.Connection[Any], *, besides: int) -> int:
    """The backend that blocked on a lock (other than ``besides``), waited for."""
    for _ in range(200):
        pid = backend_waiting_for_lock(watcher, exclude=[besides])
        if pid is not None:
            return pid
        time.sleep(0.05)
    raise AssertionError("no backend came to wait for a lock")


def has_written(watcher: psycopg.Connection[Any], pid: int) -> bool:
    """Whether backend ``pid``'s transaction wrote an entity or a mention (a write holds
    its table in RowExclusiveLock until the transaction ends)."""
    row = watcher.execute(
        "SELECT count(*) FROM pg_locks WHERE pid = %s AND mode = 'RowExclusiveLock'"
        " AND relation IN ('articles_entity'::regclass, 'articles_mention'::regclass)",
        [pid],
    ).fetchone()
    return bool(row and row[0])


def test_it_lets_a_link_batch_delete_a_mention_of_an_article_whose_new_date_waits() -> None:
    article = ArticleFactory.create(date=dt.date(2020, 6, 11))
    entities = [Entity.objects.create(kind=EntityKind.SYSCALL, name=n) for n in ("a", "b")]
    first, second = (Mention.objects.create(entity=e, article=article) for e in entities)
    holder, watcher = pg_connect(), pg_connect()
    holder.autocommit = False
    try:
        holder.execute(TALLIES_LOCK)  # a link batch under way
        redated = Beside(
            lambda: Article.objects.filter(pk=article.pk).update(date=dt.date(2020, 6, 18))
        )
        waiting_pid(watcher, besides=holder.info.backend_pid)
        # The batch goes on to remove a mention of that article. Had the import locked
        # the article's mentions before waiting, this would wait for it: a deadlock.
        holder.execute("SET LOCAL lock_timeout = '10s'")
        holder.execute("DELETE FROM articles_mention WHERE id = %s", [first.pk])
        holder.commit()
        assert redated.join() == 1
    finally:
        holder.close()
        watcher.close()
    assert not Mention.objects.filter(pk=first.pk).exists()
    assert Mention.objects.get(pk=second.pk).day == dt.date(2020, 6, 18)


def test_it_has_a_link_batch_wait_for_the_tallies_before_it_writes_any_row() -> None:
    # Both names are new: the batch would create their entities first.
    article = ArticleFactory.create(body_text="It adds faccessat2() and CAP_PERFMON.")
    holder, watcher = pg_connect(), pg_connect()
    holder.autocommit = False
    try:
        holder.execute(TALLIES_LOCK)
        linking = Beside(lambda: articles_link(article_ids=[article.pk]))
        pid = waiting_pid(watcher, besides=holder.info.backend_pid)
        # Holding an entity row while it waits, it could deadlock with the holder.
        assert not has_written(watcher, pid)
        holder.commit()
        counts = linking.join()
    finally:
        holder.close()
        watcher.close()
    assert counts["mentions_created"] == 2
    assert set(Mention.objects.values_list("entity__name", flat=True)) == {
        "faccessat2",
        "CAP_PERFMON",
    }


def _deadlock_once(calls: list[int]) -> Callable[[], str]:
    """Work that takes advisory locks 2 then 1, while another session holds 1 and wants 2.

    The other session waits with a long ``deadlock_timeout``, so PostgreSQL aborts
    the work (the first to check) and never the other session.
    """
    holder = pg_connect()
    holder.autocommit = False
    holder.execute("SET deadlock_timeout = '30s'")
    holder.execute("SELECT pg_advisory_xact_lock(1)")
    watcher = pg_connect()

    def other_session() -> None:
        waiting_pid(watcher, besides=holder.info.backend_pid)
        holder.execute("SELECT pg_advisory_xact_lock(2)")  # the cycle closes
        holder.commit()
        holder.close()
        watcher.close()

    def work() -> str:
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(2)")
            if len(calls) == 1:
                threading.Thread(target=other_session).start()
            cursor.execute("SELECT pg_advisory_xact_lock(1)")
        return "done"

    return work


def test_it_runs_a_transaction_again_when_postgresql_aborts_it_for_a_deadlock(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []
    with caplog.at_level(logging.WARNING, logger="articles.services.sql.retry"):
        assert atomic_retried(_deadlock_once(calls), what="the test's work") == "done"
    assert len(calls) == 2
    assert "the test's work: deadlock detected" in caplog.text
    assert "trying again (2 of 3)" in caplog.text


def test_it_leaves_a_deadlock_inside_a_callers_transaction_to_the_caller() -> None:
    calls: list[int] = []
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        atomic_retried(_deadlock_once(calls), what="nested work")
    assert is_transient(caught.value)
    assert len(calls) == 1


def test_it_does_not_retry_an_error_that_would_come_again() -> None:
    calls: list[int] = []

    def work() -> None:
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    with pytest.raises(DatabaseError) as caught:
        atomic_retried(work, what="division")
    assert not is_transient(caught.value)
    assert len(calls) == 1


def holds_tallies_lock(watcher: psycopg.Connection[Any], pid: int) -> bool:
    row = watcher.execute(
        "SELECT count(*) FROM pg_locks WHERE pid = %s AND locktype = 'advisory' AND granted",
        [pid],
    ).fetchone()
    return bool(row and row[0])


def test_it_has_a_link_batch_wait_for_an_article_being_moved_before_the_tallies() -> None:
    """An import that moves an article (a unique key) holds its row, then wants the lock."""
    article = ArticleFactory.create(body_text="It adds faccessat2().")
    mover, watcher = pg_connect(), pg_connect()
    mover.autocommit = False
    try:
        # The store of an edition page, giving the article its place (edition, position).
        mover.execute("SET deadlock_timeout = '100ms'")  # it would be the one aborted
        mover.execute(
            "UPDATE articles_article SET position = position + 1000000 WHERE id = %s",
            [article.pk],
        )
        linking = Beside(lambda: articles_link(article_ids=[article.pk]))
        pid = waiting_pid(watcher, besides=mover.info.backend_pid)
        assert not holds_tallies_lock(watcher, pid)
        # The store goes on to rows whose writes take the tallies' lock.
        mover.execute("SET LOCAL lock_timeout = '10s'")
        mover.execute(TALLIES_LOCK)
        mover.commit()
        counts = linking.join()
    finally:
        mover.close()
        watcher.close()
    assert counts["mentions_created"] == 1
