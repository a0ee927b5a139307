"""PostgreSQL's planner statistics, refreshed while a bulk import grows the tables.

The planner picks each plan from the statistics ``ANALYZE`` gathers. Autovacuum
refreshes them once a tenth of a table has changed, but only where it runs on time:
with it off, or behind, an archive imported into an empty database is planned as
empty all the way. Half-way through the full archive that turned the link tasks'
lookup of existing mentions (an ``OR`` of ``IN`` lists, one per kind of text) into a
scan of all 650,000 mentions, 230 ms where two index scans take 2, made while holding
the lock every other link task waits for (docs/performance.md, "Statistics while the archive
grows"). PostgreSQL's advice for bulk loading is to analyse afterwards; a bulk import
does it as it goes, each time the pages it imported double: ten times for the whole
archive.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection

# The first refresh; then at twice as many pages each time.
FIRST_REFRESH_PAGES = 100


def statistics_due(pages: int, *, first: int | None = None) -> bool:
    """Whether a bulk import that has imported ``pages`` pages should refresh them now:
    at ``first`` (``FIRST_REFRESH_PAGES``) pages, then each time that number doubles."""
    first = FIRST_REFRESH_PAGES if first is None else first
    if pages < first or pages % first:
        return False
    multiple = pages // first
    return multiple & (multiple - 1) == 0


def statistics_refresh() -> list[str]:
    """``ANALYZE`` lwnkb's tables (PostgreSQL); return their names, empty on SQLite,
    whose planner an import does not lead astray."""
    if connection.vendor != "postgresql":
        return []
    tables = sorted(
        model._meta.db_table
        for model in apps.get_app_config("articles").get_models()
        if model._meta.managed and not model._meta.proxy
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
    return tables
