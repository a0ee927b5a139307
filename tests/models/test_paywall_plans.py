"""The locked set read as two ranges of the paywall's partial index: a page or API list
that asks which articles a reader may not read yet touches those articles only, never
the subscriber-only articles LWN has freed since (every "[$]" article of the archive)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Entity, EntityKind, KernelRelease
from tests.factories import ArticleFactory, HardwareDeviceFactory, MergeWindowItemFactory
from tests.plans import executed_plan, plan_nodes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans"),
]

FREED = 40
ARTICLES = Article._meta.db_table


@pytest.fixture
def paywall(today: dt.date) -> set[int]:
    """Many freed subscriber-only articles, two locked ones (no free date; a later one),
    each with an item, a device and an entity it introduces; returns the locked ids."""
    release = KernelRelease.objects.create(version="6.1")
    articles = [
        ArticleFactory.create(subscriber_only=True, free_on=today - dt.timedelta(days=7 + n))
        for n in range(FREED)
    ]
    articles += [ArticleFactory.create() for _ in range(5)]
    locked = [
        ArticleFactory.create(subscriber_only=True, free_on=None),
        ArticleFactory.create(subscriber_only=True, free_on=today + dt.timedelta(days=3)),
    ]
    for n, article in enumerate(articles + locked):
        item = MergeWindowItemFactory.create(release=release, article=article)
        HardwareDeviceFactory.create(release=release, article=article)
        Entity.objects.create(
            kind=EntityKind.SYSCALL,
            name=f"call{n}",
            introduced_in=item,
            introduced_release=release,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(ARTICLES)}")
    return {article.pk for article in locked}


@pytest.mark.parametrize("offset", [-8, -1, 0, 1, 8])
def test_it_reads_the_paywall_in_sql_as_the_row_rule_says(offset: int, today: dt.date) -> None:
    day = today + dt.timedelta(days=offset)
    free_dates = [None, today - dt.timedelta(days=3), today, today + dt.timedelta(days=2)]
    made = [ArticleFactory.create(subscriber_only=True, free_on=d) for d in free_dates]
    made += [ArticleFactory.create(), ArticleFactory.create(free_on=today + dt.timedelta(days=5))]
    expected = {a.pk for a in made if a.subscriber_only_on(day)}
    assert set(Article.objects.subscriber_only_on(day).values_list("pk", flat=True)) == expected
    assert {row["pk"] for row in Article.objects.paywalled_pks_on(day)} == expected


def _article_rows_read(sql: str) -> int:
    """Rows of the articles table the executed ``sql`` read: those it kept and those its
    filters threw away, over every loop. Sequential scans off, so the plan is the one
    PostgreSQL picks at the archive's size, where scanning the table costs most."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return sum(
        (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        for node in plan_nodes(executed_plan(sql))
        if node.get("Relation Name") == ARTICLES
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/releases/",
        "/api/v1/entities/?introduced=6.1",
        "/entities/",
    ],
)
def test_it_reads_only_the_locked_articles_for_a_list(paywall: set[int], url: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    paywall_reads = [q["sql"] for q in queries.captured_queries if ARTICLES in q["sql"]]
    assert paywall_reads, "the list no longer asks for the locked articles"
    for sql in paywall_reads:
        # Each read of the locked set is two index ranges of at most the locked rows.
        assert _article_rows_read(sql) <= 2 * len(paywall), sql
