"""The kept sums of the home page's trends: ``EntityTrend`` summed for a new window.

Migration 0020's triggers keep the sums in step with the tallies while the window
stays; when the newest edition moves the window, the first reader that finds it stale
sums the two years of daily tallies once here, and every later reader reads an index.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction

from articles.models import EntityTally, EntityTrend, TrendWindow
from articles.models.tallies import DAILY_SOURCES
from articles.services.sql.locks import tallies_try_lock

logger = logging.getLogger("lwnkb.trends")

YEAR = dt.timedelta(days=365)


@dataclass(frozen=True, slots=True)
class Window:
    """The year before ``middle`` (after ``start``) and the year up to ``until``."""

    start: dt.date
    middle: dt.date
    until: dt.date

    @classmethod
    def up_to(cls, until: dt.date) -> Window:
        # The same days as migration 0020's triggers: ``until - 365`` and ``until - 730``.
        return cls(start=until - 2 * YEAR, middle=until - YEAR, until=until)


def trends_refresh(*, until: dt.date) -> bool:
    """Sum the daily tallies of the two years up to ``until`` into ``EntityTrend``.

    PostgreSQL only (the triggers that keep the sums are its). Returns False, having
    written nothing, when a writer of mentions holds the tallies' lock: a reader does
    not wait for a link batch, it counts from the tallies this once.
    """
    span = Window.up_to(until)
    with transaction.atomic():
        # Taken before any row, as by every writer of tallies (migrations 0019 and 0020).
        if not tallies_try_lock():
            return False
        return _sum(span, trend=EntityTrend._meta.db_table, window=TrendWindow._meta.db_table)


def _sum(span: Window, *, trend: str, window: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT until FROM {window}")  # noqa: S608 (table names)
        if cursor.fetchall() == [(span.until,)]:
            return True  # another reader summed it since this one looked
        cursor.execute(f"DELETE FROM {window}")  # noqa: S608
        cursor.execute(f"DELETE FROM {trend}")  # noqa: S608
        cursor.execute(f"INSERT INTO {window} (until) VALUES (%s)", [span.until])  # noqa: S608
        cursor.execute(
            f"""
            INSERT INTO {trend} (entity_id, recent, prior)
            SELECT entity_id,
                coalesce(sum(n) FILTER (WHERE day > %(middle)s), 0),
                coalesce(sum(n) FILTER (WHERE day <= %(middle)s), 0)
            FROM {EntityTally._meta.db_table}
            WHERE source = ANY(%(daily)s) AND day > %(start)s AND day <= %(until)s
            GROUP BY entity_id HAVING sum(n) > 0
            """,  # noqa: S608 (table names)
            {
                "middle": span.middle,
                "start": span.start,
                "until": span.until,
                "daily": list(DAILY_SOURCES),
            },
        )
        logger.info("trends up to %s summed for %s entities", span.until, cursor.rowcount)
    return True
