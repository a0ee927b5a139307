"""Executed query plans, for the tests that pin how PostgreSQL answers a query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db import connection


def executed_plan(sql: str) -> dict[str, Any]:
    """The root node of ``sql``'s plan as run (``EXPLAIN (ANALYZE, FORMAT JSON)``), on the
    test's own connection: settings made with ``SET LOCAL`` before it apply."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (raw,) = cursor.fetchone()
    # psycopg decodes the json column; a driver that does not hands over the text.
    plan: dict[str, Any] = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    return plan


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """``plan`` and every node under it, depth first."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)
