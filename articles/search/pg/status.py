"""What "the index" is with the postgres backend: the tables, and whether they are ready."""

from __future__ import annotations

from django.db import connection

from articles.search.pg.branches import TABLES
from articles.search.pg.ddl import MISSING, search_columns_present
from articles.search.pg.search import check_database

READY = "PostgreSQL full-text search: the tables are the index, updated by every import."


def pg_status() -> tuple[str, str, int | None]:
    """(state, message, documents): "ok", or "missing" before the full-text columns exist.

    Raises SearchUnavailable when the database is not PostgreSQL.
    """
    check_database()
    if not search_columns_present():
        return "missing", MISSING, None
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))  # noqa: S608
        (documents,) = cursor.fetchone() or (0,)
    return "ok", READY, int(documents)
