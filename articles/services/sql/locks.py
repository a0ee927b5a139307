"""The tallies' lock: one writer of mentions at a time, taken before any row it writes.

The triggers of migrations 0018 and 0019 take this lock for every statement that
writes mentions. A link batch also writes entities (new ones, ``introduced_in``,
``updated_at``) before and after its mentions; taking the lock before the first of
those writes keeps the order the same in every writer: the tally lock, then rows.
Two batches that each held an entity row the other wanted, one of them waiting for
the lock, would otherwise deadlock.

One kind of row comes before the lock: the texts a batch's new mentions point to, which
their foreign keys lock (FOR KEY SHARE). A store that gives an article a new edition or
position holds that row until it commits, and may meanwhile wait for the tallies' lock,
so a batch locks those rows first (``rows_key_share``) and then the tallies.
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


def rows_key_share(table: str, ids: list[int]) -> None:
    """Lock rows ``ids`` of ``table`` as a foreign key to them would (FOR KEY SHARE), now.

    PostgreSQL only. A writer that will insert rows pointing to these calls it before
    ``tallies_lock``: the foreign keys' own locks would otherwise be taken after it.
    """
    if connection.vendor == "postgresql" and ids:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {connection.ops.quote_name(table)}"  # noqa: S608 (a model's table)
                " WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE",
                [sorted(ids)],
            )
