"""Quoted names for the SQL some selectors write by hand (where the ORM's query building
cost more than the query: see ``articles._detail_sql`` and its neighbours)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Field, Model


def column(model: type[Model], name: str) -> str:
    """The quoted column of a concrete field of ``model``."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a concrete column, not a reverse relation
    return connection.ops.quote_name(field.column)
