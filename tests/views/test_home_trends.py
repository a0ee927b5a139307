"""The home page's trends read the kept sums: summed once per newest edition, then read
in a query that does not touch the tallies, and right while a writer holds the tallies."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, EntityTally, TrendWindow
from tests.views.chart_helpers import numbers
from tests.views.test_charts import FUTURE, build

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite counts trends from the mentions"
    ),
]

HOME = 8  # as pinned in tests/views/test_pages.py
SUMMING = 9  # a savepoint, the lock, the window read, two deletes, two inserts, the release, a read


def home(client: Client) -> tuple[int, str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    return len(sql), response.content.decode(), sql


def test_it_sums_the_trends_once_per_newest_edition(client: Client) -> None:
    build(4)  # 2019-01-03 in 120-day steps up to 2019-12-29
    first, body, _ = home(client)
    assert first == HOME + SUMMING
    assert TrendWindow.objects.get().until == dt.date(2019, 12, 29)
    again, same, sql = home(client)
    assert again == HOME
    assert same == body
    # The tallies of the two years are read once, never again per request.
    assert not any(EntityTally._meta.db_table in query for query in sql)
    build(1, start=dt.date(2020, 4, 28))  # a newer edition moves the window
    assert home(client)[0] == HOME + SUMMING
    assert TrendWindow.objects.get().until == dt.date(2020, 4, 28)
    assert home(client)[0] == HOME


def test_it_reads_the_same_trends_for_each_reader(client: Client, subscriber: User) -> None:
    build(8)  # 2019-01-03 in 120-day steps: 4 in 2019, 3 in 2020, 2021-04-22
    Article.objects.filter(title="Feature 7").update(subscriber_only=True, free_on=FUTURE)
    home(client)
    count, body, _ = home(client)
    assert count == HOME  # the locked article's mentions come off in the same query
    # Its two mentions in the last year are not counted for an anonymous reader.
    assert "home-trending" not in body
    client.force_login(subscriber)
    body = home(client)[1]
    assert numbers(body, "home-trending") == {"CAP_BPF (3 → 4)": 1, "faccessat2() (3 → 4)": 1}


@pytest.mark.django_db(transaction=True)  # committed: the writer may take the lock
def test_it_counts_from_the_tallies_while_a_writer_holds_them(client: Client) -> None:
    build(8)
    settings = connection.settings_dict
    writer = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
        options="-c lock_timeout=5s",
    )
    try:
        writer.execute("SELECT pg_advisory_lock(hashtext('articles_entitytally'))")
        body = home(client)[1]
    finally:
        writer.close()
    assert numbers(body, "home-trending") == {"CAP_BPF (3 → 4)": 1, "faccessat2() (3 → 4)": 1}
    assert not TrendWindow.objects.exists()  # nothing summed; the next reader will
