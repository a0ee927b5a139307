"""One request to lwn.net per interval across processes and hosts: a clock in PostgreSQL.

``limits.RateLimiter`` spaces the requests of one process. A deployment
runs more than one: Celery's prefork pool (two children in docker-compose),
several workers in the multihost profile, a CLI import beside them. Each
would keep its own interval and LWN would see them added up. So when the
database is PostgreSQL, fetchers reserve their slots on one shared row,
``RequestClock``, in a single statement: the row lock orders concurrent
reservations, and the database's clock is the same for every host. The
caller sleeps until its slot. SQLite (the embedded default, one process)
keeps the in-process limiter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from articles.models import RequestClock
from articles.services.fetch.limits import SHARED_LIMITER, Limiter


def request_slot_reserve(interval: float) -> float:
    """Reserve the next request slot; return the seconds until it starts (0 if now).

    The slot starts at the later of "now" and the end of the previous slot; the
    row then records its end, ``interval`` later. Always commits at once: inside
    a caller's transaction the row lock would last until that transaction ended
    and hold up every other fetcher meanwhile, so there the reservation takes a
    connection of its own.
    """
    table = connection.ops.quote_name(RequestClock._meta.db_table)  # our own name
    sql = (
        f"INSERT INTO {table} (id, next_at) "  # noqa: S608
        "VALUES (1, clock_timestamp() + make_interval(secs => %s)) "
        f"ON CONFLICT (id) DO UPDATE SET next_at = GREATEST({table}.next_at, "
        "clock_timestamp()) + make_interval(secs => %s) "
        "RETURNING EXTRACT(EPOCH FROM next_at - clock_timestamp())::float8 - %s"
    )
    with _committing_cursor() as cursor:
        cursor.execute(sql, [interval, interval, interval])
        row = cursor.fetchone()
    assert row is not None
    return max(0.0, float(row[0]))


@contextmanager
def _committing_cursor() -> Iterator[Any]:
    """A cursor whose statements commit at once, inside a caller's transaction too."""
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:  # autocommit: how the fetcher runs
            yield cursor
        return
    own = connection.get_new_connection(connection.get_connection_params())
    try:
        own.autocommit = True
        with own.cursor() as cursor:
            yield cursor
    finally:
        own.close()


class SharedRateLimiter:
    """``RateLimiter``'s interface, with the slots kept in PostgreSQL (see the module)."""

    def __init__(self, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.sleep = sleep

    def wait(self, interval: float) -> float:
        if interval <= 0:
            return 0.0
        delay = request_slot_reserve(interval)
        if delay > 0:
            self.sleep(delay)
        return delay


DATABASE_LIMITER = SharedRateLimiter()


def limiter_for_deployment() -> Limiter:
    """The database's clock on PostgreSQL; this process's limiter on SQLite."""
    return DATABASE_LIMITER if connection.vendor == "postgresql" else SHARED_LIMITER
