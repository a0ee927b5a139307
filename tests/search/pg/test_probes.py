"""The per-word probes (did-you-mean, "is this word anywhere") are planned on the GIN indexes.

An ``EXISTS`` over a lexeme known only at run time is planned as a sequential scan
that hopes to stop early; for a word no row has it reads the whole table, once per
spelling variant (bench figures in docs/performance.md). ``_probe_rows`` rules
sequential scans out for that statement only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from articles.search.pg.predicates import Sql
from articles.search.pg.search import _probe_rows
from articles.search.pg.suggest import candidates_sql
from articles.search.results import Access
from tests.factories import CommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

SETTINGS = Sql("SELECT current_setting('enable_seqscan'), current_setting('jit')")


def _settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(SETTINGS.text)
        (row,) = cursor.fetchall()
    return row[0], row[1]


def test_it_runs_the_probe_without_sequential_scans_or_jit() -> None:
    assert _probe_rows(SETTINGS) == [("off", "off")]


def test_it_puts_the_settings_back_for_the_statements_that_follow() -> None:
    before = _settings()
    _probe_rows(SETTINGS)
    assert _settings() == before == ("on", before[1])


def test_it_plans_every_spelling_variant_on_the_index() -> None:
    today = dt.date.today()
    # Enough rows that a plan could pick either; the probe must never read the table.
    CommentFactory.create_batch(50, body_text="the scheduler runs every tick")
    connection.cursor().execute("ANALYZE articles_comment")
    for access in (Access(can_read=True, today=today), Access(can_read=False, today=today)):
        sql = candidates_sql(["schedular"], access)
        plan = _probe_rows(Sql("EXPLAIN " + sql.text, sql.params))
        lines = "\n".join(line for (line,) in plan)
        assert "Seq Scan on articles_comment" not in lines
        assert "Bitmap Index Scan on articles_comment_search_prose" in lines
