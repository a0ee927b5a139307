"""The full-text columns of the postgres backend: opt-in, added and dropped on demand.

Two generated (STORED) tsvector columns with GIN indexes on every searchable table:

- ``search_prose``: English words, stemmed, accents folded (``lwnkb_english``),
  weighted A (title), B (heading: a device's category) and D (body);
- ``search_ident``: kernel identifiers kept whole and lowercased (``lwnkb_idents``),
  weighted A in titles.

They are not part of a migration: PostgreSQL computes them on every stored or updated
row, which slows imports down, so a whoosh deployment on PostgreSQL must not carry
them. ``migrate`` (the facade's post_migrate handler) and ``lwn_reindex`` add them
while this engine is the one configured; ``lwn_reindex --drop-postgres-columns``
removes them. Migration 0004 creates the functions they call.

Everything here is a no-op on databases other than PostgreSQL.
"""

from __future__ import annotations

import sys
from typing import TextIO

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

# table: (prose vector, identifier vector)
EXPRESSIONS = {
    "articles_article": (
        "setweight(lwnkb_prose(title), 'A') || lwnkb_prose(body_text)",
        "setweight(lwnkb_idents(title), 'A') || lwnkb_idents(body_text)",
    ),
    "articles_comment": (
        "setweight(lwnkb_prose(title), 'A') || lwnkb_prose(body_text)",
        "setweight(lwnkb_idents(title), 'A') || lwnkb_idents(body_text)",
    ),
    # An item's title is "<release> merge window: <group>"; the release is another table.
    "articles_mergewindowitem": (
        "setweight(lwnkb_prose('merge window: ' || \"group\"), 'A') || lwnkb_prose(text)",
        "lwnkb_idents(text)",
    ),
    "articles_hardwaredevice": (
        "setweight(lwnkb_prose(name), 'A') || setweight(lwnkb_prose(category), 'B')",
        "setweight(lwnkb_idents(name), 'A') || lwnkb_idents(category)",
    ),
}
COLUMNS = ("search_prose", "search_ident")
# What index_status() reports as this engine's schema version, as whoosh reports its
# index's: bump it when EXPRESSIONS or the functions (migrations 0004, 0015) change what is indexed.
SCHEMA_VERSION = 2
MISSING = (
    "Search is unavailable: the PostgreSQL full-text columns are missing; "
    "run manage.py migrate (or manage.py lwn_reindex) with LWNKB_SEARCH_BACKEND=postgres."
)
NOT_MIGRATED = "the full-text functions of migration 0004 are missing; run manage.py migrate first"


def _is_postgres(using: str) -> bool:
    return bool(connections[using].vendor == "postgresql")


def _present(using: str) -> set[tuple[str, str]]:
    """(table, name) of the columns and GIN indexes that exist, indexes as ("index", name)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ANY(%s)"
            " AND column_name = ANY(%s)"
            " UNION ALL SELECT 'index', indexname FROM pg_indexes"
            " WHERE schemaname = current_schema() AND indexname = ANY(%s)",
            (list(EXPRESSIONS), list(COLUMNS), _index_names()),
        )
        return {(str(a), str(b)) for a, b in cursor.fetchall()}


def _index_names() -> list[str]:
    return [f"{table}_{column}" for table in EXPRESSIONS for column in COLUMNS]


def _expected() -> set[tuple[str, str]]:
    columns = {(table, column) for table in EXPRESSIONS for column in COLUMNS}
    return columns | {("index", name) for name in _index_names()}


def _functions_present(using: str) -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('lwnkb_idents(text)') IS NOT NULL")
        (found,) = cursor.fetchone() or (False,)
    return bool(found)


def search_columns_present(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether every full-text column and its GIN index exists (False off PostgreSQL)."""
    return _is_postgres(using) and _present(using) == _expected()


def is_missing_column(exc: DatabaseError) -> bool:
    """Whether a failed search statement failed for want of the full-text columns.

    Searches do not check first: that would be a catalog query on every search, for a
    state only a misconfigured deployment is ever in.
    """
    undefined_column = getattr(exc.__cause__, "sqlstate", None) == "42703"
    return undefined_column and any(column in str(exc) for column in COLUMNS)


def search_columns_ensure(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Add the columns and GIN indexes that are missing; True when anything was added.

    Computes every row's vectors, so it takes a while on a big archive. Idempotent.
    Raises RuntimeError when migration 0004 (the functions) has not run.
    """
    if not _is_postgres(using):
        return False
    present = _present(using)
    if present == _expected():
        return False
    # One transaction: a failure leaves the tables as they were, never half-done.
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if not _functions_present(using):
            raise RuntimeError(NOT_MIGRATED)
        for table, expressions in EXPRESSIONS.items():
            # Both columns in one ALTER TABLE: each one rewrites the whole table. IF NOT
            # EXISTS: hosts migrating at once wait for the first one's lock, then skip.
            added = [
                f"ADD COLUMN IF NOT EXISTS {column} tsvector"
                f" GENERATED ALWAYS AS ({expression}) STORED"
                for column, expression in zip(COLUMNS, expressions, strict=True)
                if (table, column) not in present
            ]
            if added:
                cursor.execute(f"ALTER TABLE {table} " + ", ".join(added))
            for column in COLUMNS:
                if ("index", f"{table}_{column}") not in present:
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table}"
                        f" USING gin ({column})"
                    )
    return True


def search_columns_drop(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Drop the columns (and with them their indexes); True when any existed."""
    if not _is_postgres(using) or not _present(using):
        return False
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for table in EXPRESSIONS:
            cursor.execute(
                f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_prose,"
                " DROP COLUMN IF EXISTS search_ident"
            )
    return True


def search_columns_on_migrate(*, using: str, verbosity: int, stdout: TextIO | None) -> None:
    """After ``migrate`` with this engine configured: add the columns if they are missing.

    So switching ``LWNKB_SEARCH_BACKEND`` to postgres and running ``migrate`` is the
    whole switch. Skipped when a partial migrate stopped before 0004's functions.
    """
    if not _is_postgres(using):
        return
    if search_columns_present(using=using) or not _functions_present(using):
        return
    if verbosity >= 1:
        (stdout or sys.stdout).write(
            "Adding the PostgreSQL full-text search columns (LWNKB_SEARCH_BACKEND=postgres); "
            "every row is computed once, which can take a while on a big archive.\n"
        )
    search_columns_ensure(using=using)
