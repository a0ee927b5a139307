"""A single slow statement while storing cannot run past the import's time limit.

The store checks the import's deadline between its steps; within a step,
``statement_deadline`` has PostgreSQL cancel any statement still running at
the deadline (``statement_timeout``), whether it computes (``pg_sleep`` here)
or waits for a lock another session holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.test import override_settings

from articles.models import Comment, ImportOutcome
from articles.services.ingest import page_import
from articles.services.parse_limits import Deadline, ParseTimeLimitExceeded, statement_deadline
from tests.faults.services import pg_connect
from tests.security.test_parse_limits import other_rows
from tests.services.conftest import FIXTURE_URLS, fixture_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]

ARTICLE = "article-2020-capabilities-comments.html"
ARTICLE_ID = 821729
# The limit under test, and the bound a cancelled statement must come in under: the
# limit plus a round trip, with room for a busy two-core CI machine.
LIMIT = 1.0
STOPPED_WITHIN = LIMIT + 1.5
# How long the lock is held: long enough that waiting it out fails the bound above.
HELD_FOR = 8.0


def timeout_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return str(cursor.fetchone()[0])


def timeout_milliseconds() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout'")
        return int(cursor.fetchone()[0])


def test_it_cancels_a_statement_still_running_at_the_deadline() -> None:
    start = time.monotonic()
    with (
        pytest.raises(ParseTimeLimitExceeded) as caught,
        transaction.atomic(),
        statement_deadline(Deadline(LIMIT)),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(10)")
    elapsed = time.monotonic() - start
    assert LIMIT <= elapsed < STOPPED_WITHIN
    assert str(caught.value) == (
        "the import ran past LWNKB_PARSE_TIME_LIMIT while storing (a 1 s limit)"
    )
    assert isinstance(caught.value.__cause__, DatabaseError)


def test_it_gives_each_statement_only_the_time_left() -> None:
    """The budget is the import's: time spent before the block is not given again."""
    deadline = Deadline(2.0)
    time.sleep(1.2)
    start = time.monotonic()
    with (
        pytest.raises(ParseTimeLimitExceeded),
        transaction.atomic(),
        statement_deadline(deadline),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(10)")
    assert time.monotonic() - start < 1.5


def sleep_in_steps(cursor: CursorWrapper, steps: int, each: float) -> None:
    for _ in range(steps):
        cursor.execute("SELECT pg_sleep(%s)", [each])


def test_it_bounds_many_statements_that_each_fit_in_the_limit() -> None:
    """Each statement's timeout counts from its own start: later ones get less time."""
    start = time.monotonic()
    with (
        pytest.raises(ParseTimeLimitExceeded),
        transaction.atomic(),
        statement_deadline(Deadline(LIMIT)),
        connection.cursor() as cursor,
    ):
        sleep_in_steps(cursor, steps=10, each=0.4)
    assert time.monotonic() - start < STOPPED_WITHIN


def test_it_puts_back_the_callers_timeout_after_a_clean_exit() -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '7s'")
        with statement_deadline(Deadline(30.0)):
            assert 29_000 <= timeout_milliseconds() <= 30_000
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.05)")
        assert timeout_setting() == "7s"
    assert timeout_setting() == "0"  # SET LOCAL: nothing outlives the transaction


def sleep_cancelled_early(cursor: CursorWrapper) -> None:
    """A statement cancelled by a shorter timeout of the caller's own, long before the deadline."""
    cursor.execute("SET LOCAL statement_timeout = '100ms'")
    cursor.execute("SELECT pg_sleep(5)")


def test_it_leaves_a_cancel_before_the_deadline_as_a_database_error() -> None:
    """Only a cancel at the deadline is the time limit; another one is not disguised as it."""
    with (
        pytest.raises(DatabaseError) as caught,
        transaction.atomic(),
        statement_deadline(Deadline(30.0)),
        connection.cursor() as cursor,
    ):
        sleep_cancelled_early(cursor)
    assert not isinstance(caught.value, ParseTimeLimitExceeded)


def test_it_does_nothing_without_a_limit() -> None:
    with transaction.atomic(), statement_deadline(Deadline(0)):
        assert timeout_setting() == "0"


@pytest.fixture
def article_lock() -> Iterator[None]:
    """Another session holds the advisory lock an import of the article takes first.

    It lets go after ``HELD_FOR`` seconds, so that on code without the bound the
    import ends (and the test fails on its time) instead of hanging.
    """
    holder = pg_connect()
    holder.execute("SELECT pg_advisory_lock(%s, %s)", [0x4C574E, ARTICLE_ID])
    done = threading.Event()

    def let_go() -> None:
        done.wait(HELD_FOR)
        holder.close()  # ends the session, and its lock

    releaser = threading.Thread(target=let_go, daemon=True)
    releaser.start()
    yield
    done.set()
    releaser.join()


@override_settings(PARSE_TIME_LIMIT=LIMIT)
@pytest.mark.usefixtures("article_lock")
def test_an_import_waiting_for_a_lock_fails_at_the_time_limit() -> None:
    """A lock wait is one statement: only the hard bound stops it at the limit."""
    before = other_rows()
    start = time.monotonic()
    run = page_import(data=fixture_bytes(ARTICLE), source="locked", url=FIXTURE_URLS[ARTICLE])
    elapsed = time.monotonic() - start
    assert run.outcome == ImportOutcome.FAILED, run.error
    assert run.finished_at is not None
    assert "the import ran past LWNKB_PARSE_TIME_LIMIT while storing" in run.error
    assert elapsed < STOPPED_WITHIN
    assert other_rows() == before
    assert not Comment.objects.exists()
