"""A bulk import refreshes PostgreSQL's planner statistics as it grows the tables."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from articles.services.sql import statistics
from articles.services.sql.statistics import statistics_due, statistics_refresh
from tests.conftest import FIXTURES

LWN = FIXTURES / "lwn"


def test_it_refreshes_at_the_first_count_and_each_time_it_doubles() -> None:
    due = [pages for pages in range(1, 1_700) if statistics_due(pages)]

    assert due == [100, 200, 400, 800, 1_600]
    assert [p for p in range(1, 20) if statistics_due(p, first=2)] == [2, 4, 8, 16]


def analysed() -> dict[str, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables"
            " WHERE relname LIKE 'articles\\_%%'"
        )
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)  # statistics views see committed work
def test_it_analyses_the_tables_a_folder_import_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        assert statistics_refresh() == []  # SQLite: nothing to do
        return
    for name in ("edition-2020-06-11-bigpage.html", "article-2020-capabilities-comments.html"):
        shutil.copy(LWN / name, tmp_path / name)
    monkeypatch.setattr(statistics, "FIRST_REFRESH_PAGES", 2)
    with connection.cursor() as cursor:  # forget what earlier tests left
        cursor.execute("SELECT pg_stat_reset()")

    call_command("lwn_import", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
    seen = analysed()
    for table in ("articles_article", "articles_comment", "articles_mention", "articles_rawpage"):
        assert seen[table], table


@pytest.mark.django_db(transaction=True)
def test_it_leaves_statistics_alone_below_the_first_refresh(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no such statistics")
    shutil.copy(LWN / "edition-2020-06-11-bigpage.html", tmp_path / "big.html")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_reset()")

    call_command("lwn_import", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
    assert not any(analysed().values())
