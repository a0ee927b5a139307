"""Insert many new rows fast: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Django's ``bulk_create`` on PostgreSQL sends each column as an array for
``UNNEST``, and psycopg builds those array literals in Python, which is slow for
large text columns such as article bodies. COPY streams the rows instead, so an
import pays for what it writes, not for quoting it. COPY returns no ids, so
primary keys are taken from the table's sequence first, in one query, and set on
the objects just as ``bulk_create`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import AutoField, DateField, Field, Model

from articles.services.sql.writes import rows_copied

M = TypeVar("M", bound=Model)


# Values of these field types go to psycopg as they are: their get_db_prep_save is
# the identity for the Python values the store writes, and calling it per cell
# (through the connection proxy's thread-local lookup) dominated the COPY.
_PLAIN_TYPES = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def value_getter(field: Field[Any, Any], db: BaseDatabaseWrapper) -> Callable[[Model], Any]:
    """How to read ``field``'s database value from an instance, as ``save()`` would."""
    attname = field.attname
    if field.get_internal_type() in _PLAIN_TYPES:
        return lambda obj: getattr(obj, attname)
    if isinstance(field, DateField) and (field.auto_now or field.auto_now_add):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, add=True), connection=db)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection=db)


def objects_insert(objs: Sequence[M]) -> Sequence[M]:
    """Insert unsaved ``objs`` (all of one model) and give each its primary key.

    Same contract as ``Model.objects.bulk_create(objs)`` without options: no
    ``save()``, no signals, ``auto_now``/``auto_now_add`` fields filled in.
    """
    if not objs:
        return objs
    model = type(objs[0])
    db = connections[router.db_for_write(model)]
    if db.vendor != "postgresql":
        return model._default_manager.using(db.alias).bulk_create(objs)
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not f.generated]
    preparers = [value_getter(f, db) for f in fields]
    with db.cursor() as cursor:
        if isinstance(pk, AutoField) and any(obj.pk is None for obj in objs):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = new_id
        _copy(
            cursor,
            db,
            meta.db_table,
            [f.column for f in fields],
            [[prepare(obj) for prepare in preparers] for obj in objs],
        )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db.alias
    return objs


def rows_insert(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain rows of ``model`` (values by attribute name; every row the same keys).

    For rows nobody refers to later in the same import: no model instances are
    built and the database numbers the rows, which saves both the instances'
    construction and the round trip that takes ids first.
    """
    if not rows:
        return
    db = connections[router.db_for_write(model)]
    if db.vendor != "postgresql":
        model._default_manager.using(db.alias).bulk_create([model(**row) for row in rows])
        return
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    names = list(rows[0])
    with db.cursor() as cursor:
        _copy(
            cursor,
            db,
            model._meta.db_table,
            [by_attname[n] for n in names],
            [[row[n] for n in names] for row in rows],
        )


def _copy(
    cursor: Any, db: BaseDatabaseWrapper, table: str, columns: list[str], rows: list[list[Any]]
) -> None:
    quoted = ", ".join(db.ops.quote_name(c) for c in columns)
    # COPY bypasses Django's cursor wrapper: without this a lost connection raises
    # psycopg's own error, which callers catching django.db errors would miss.
    with (
        db.wrap_database_errors,
        cursor.copy(f"COPY {db.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    if rows:
        rows_copied()
