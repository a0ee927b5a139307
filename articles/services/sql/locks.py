"""The tallies' lock: one writer of mentions at a time, taken before any row it writes.

The triggers of migrations 0018 and 0019 take this lock for every statement that
writes mentions. A link batch also writes entities (new ones, ``introduced_in``,
``updated_at``) before and after its mentions; taking the lock before the first of
those writes keeps the order the same in every writer: the tally lock, then rows.
Two batches that each held an entity row the other wanted, one of them waiting for
the lock, would otherwise deadlock.
"""

from __future__ import annotations

from django.db import connection

# The same key as the triggers' pg_advisory_xact_lock(hashtext('articles_entitytally')).
_TALLIES = "articles_entitytally"


def tallies_lock() -> None:
    """Wait for the tallies' lock until the transaction ends (PostgreSQL; SQLite has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [_TALLIES])


def tallies_try_lock() -> bool:
    """Take the tallies' lock until the transaction ends if it is free (PostgreSQL only)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [_TALLIES])
        row = cursor.fetchone()
    return bool(row and row[0])
