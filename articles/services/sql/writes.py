"""Whether a block of code changed any row: a count of the rows its statements wrote.

The store compares every row with what the page wants and writes only the
differences, so a page whose parse gives exactly what is stored writes nothing.
Counting the rows the database reports as inserted, updated or deleted checks
that at the only place it can be checked, whatever the store's paths: an
unchanged page then needs no linking and no indexing (``ingest``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection

_WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass(slots=True)
class RowWrites:
    """Statements that changed rows (on SQLite: rows changed); a driver that cannot say
    whether a statement did counts it."""

    statements: int = 0


class _Active(threading.local):
    counters: tuple[RowWrites, ...] = ()


_active = _Active()


def rows_copied() -> None:
    """Count a COPY into a table: it bypasses the statement hooks (``sql.bulk_insert``)."""
    for writes in _active.counters:
        writes.statements += 1


def _writes(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head.startswith(_WRITES)


@contextmanager
def rows_written() -> Iterator[RowWrites]:
    """Count the statements run on the default connection inside the block that wrote rows.

    A statement matching no row (``DELETE … WHERE`` nothing, ``INSERT … ON CONFLICT DO
    NOTHING`` that conflicts) is no write; a row updated to the values it had is one.
    """
    writes = RowWrites()

    def count(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        result = execute(sql, params, many, context)
        if _writes(sql):
            cursor = context.get("cursor")
            rowcount = getattr(cursor, "rowcount", -1)
            # -1: the driver cannot say; count it as a write.
            if rowcount != 0:
                writes.statements += 1
        return result

    if connection.vendor == "sqlite":
        # Python's sqlite3 knows an INSERT … RETURNING's row count only once its rows are
        # read, after the hook; SQLite's own count of changed rows is exact.
        connection.ensure_connection()
        before = connection.connection.total_changes
        try:
            yield writes
        finally:
            writes.statements += connection.connection.total_changes - before
        return
    outer = _active.counters
    _active.counters = (*outer, writes)
    try:
        with connection.execute_wrapper(count):
            yield writes
    finally:
        _active.counters = outer
