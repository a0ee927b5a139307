"""Single-row writes and key lookups for the import's per-page statements, in plain SQL.

Every import runs the same dozen small statements, and building each through
Django's query compiler costs more CPU than PostgreSQL spends executing it. So
they are written here once per model and cached: ordinary SQL that PostgreSQL
and SQLite both accept, with values prepared by the same field methods as
``save()``. Anything rarer (updating existing articles, deleting vanished rows)
stays with the ORM.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from articles.services.sql.bulk_insert import value_getter


def _db(model: type[Model]) -> BaseDatabaseWrapper:
    return connections[router.db_for_write(model)]


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), f"{model.__name__}.{name} is not a column"
    return field


def _column(model: type[Model], name: str) -> str:
    column = _field(model, name).column
    assert column is not None
    return column


@cache
def _insert_sql(
    model: type[Model], alias: str, columns: tuple[str, ...], unless_exists: str | None
) -> str:
    db = connections[alias]
    quote = db.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    conflict = ""
    if unless_exists is not None:
        conflict = f" ON CONFLICT ({quote(_column(model, unless_exists))}) DO NOTHING"
    return (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}){conflict} RETURNING {quote(meta.pk.column)}"
    )


def object_insert(obj: Model, *, unless_exists: str | None = None) -> bool:
    """Insert unsaved ``obj`` (like ``save()``, without signals); set its primary key.

    With ``unless_exists`` (the name of a unique field) a row that already has
    ``obj``'s value there is left alone and False is returned: one statement
    where a read-then-insert takes two, and no savepoint, since a row another
    transaction inserts meanwhile is simply "not new" rather than an
    IntegrityError.
    """
    model = type(obj)
    db = _db(model)
    fields: list[Field[Any, Any]] = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and getattr(obj, f.attname) is None)
    ]
    sql = _insert_sql(model, db.alias, tuple(f.column for f in fields), unless_exists)
    with db.cursor() as cursor:
        cursor.execute(sql, [value_getter(f, db)(obj) for f in fields])
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = db.alias
    return True


@cache
def _update_sql(model: type[Model], alias: str, columns: tuple[str, ...]) -> str:
    quote = connections[alias].ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    return f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608


def object_update(obj: Model, fields: Sequence[str]) -> None:
    """Write ``fields`` (names, as for ``save(update_fields=...)``) of saved ``obj``."""
    model = type(obj)
    db = _db(model)
    concrete = [_field(model, name) for name in fields]
    sql = _update_sql(model, db.alias, tuple(_column(model, name) for name in fields))
    values = [value_getter(f, db)(obj) for f in concrete]
    with db.cursor() as cursor:
        cursor.execute(sql, [*values, obj.pk])


def pks_by(model: type[Model], field: str, values: Collection[Any]) -> dict[Any, int]:
    """``{value: primary key}`` of the rows of ``model`` whose unique ``field`` is in ``values``."""
    if not values:
        return {}
    db = _db(model)
    quote = db.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    column = _column(model, field)
    sql = (
        f"SELECT {quote(column)}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(column)} IN ({', '.join(['%s'] * len(values))})"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, list(values))
        return dict(cursor.fetchall())
