"""``make bench-archive``'s import stage on a tiny generated archive, end to end.

The stage's own code imports the archive (``lwn_import`` of the folder, a real
prefork worker on Redis linking and indexing) into the test database; then what is
stored is checked against what the generator wrote: the manifest's counts, pages
field by field from the generator's model, and the query counts of the heaviest
pages, which must not grow with the archive.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Comment, Edition, HardwareDevice, MergeWindowItem
from bench.archive.generate import generate
from bench.archive.model import Article as ArticleModel
from bench.archive.model import Edition as EditionModel
from bench.archive_bench import stage_import, stage_pages
from bench.archive_bench.target import Target
from tests.celery_worker import database_url
from tests.conftest import OWNER_KEY

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCALE = 0.002  # six editions over 1998-2026: every layout, both comment markups
# Queries per page; the same at every scale (the pages stage measures their time).
PAGE_QUERIES = {
    "home": 8,
    "largest_thread": 5,
    # First and latest mention in one query; one more would read the articles of the
    # items, devices and comments on its page (the busiest entity, a person, has none).
    "top_entity": 6,
    "newest_release": 6,  # every release read once, for the neighbours and the chart
    "edition_archive_last": 2,
    "hardware_by_category": 4,
    "edition_big_page": 5,
}
# The stage's processes live two days after the last edition (``BENCH_TODAY``), when the
# last week's features are still locked: the entity page reads the mentions in them
# (one query, skipped when nothing is locked, as on the day the suite runs).
PAGE_QUERIES_ON_BENCH_DAY = {**PAGE_QUERIES, "top_entity": PAGE_QUERIES["top_entity"] + 1}


@pytest.fixture(autouse=True)
def _needs_services() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("LWNKB_TEST_BROKER_URL"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("the archive bench test needs PostgreSQL and Redis in CI")
        pytest.skip("the archive bench test needs PostgreSQL and LWNKB_TEST_BROKER_URL")


class Imported:
    def __init__(self, tmp: Path) -> None:
        self.models: dict[str, tuple[str, EditionModel | ArticleModel | list[ArticleModel]]] = {}
        self.manifest = generate(
            tmp / "archive",
            scale=SCALE,
            observer=lambda rel, kind, model: self.models.__setitem__(rel, (kind, model)),
        )
        self.target = Target(
            scale=SCALE,
            archive=tmp / "archive",
            redis_url=os.environ["LWNKB_TEST_BROKER_URL"],
            database=database_url(),
            root=tmp / "work",
        )
        self.figures = stage_import.run(self.target)

    def editions(self) -> list[EditionModel]:
        return [m for k, m in self.models.values() if isinstance(m, EditionModel)]


def _check_counts(run: Imported) -> None:
    manifest, stored = run.manifest, run.figures["stored"]
    assert run.figures["command"]["exit_code"] == 0
    assert run.figures["pages"] == manifest["pages"]
    assert run.figures["runs"]["ok"]["count"] == manifest["pages"]
    for name in ("editions", "articles", "comments", "releases", "merge_items", "devices"):
        assert stored[name] == manifest[name], name
    assert stored["mentions"] > 0  # linking ran in the worker
    # Every page is linked but those that changed no row (nothing to link).
    unchanged = run.figures["runs_unchanged"]
    assert run.figures["tasks"]["after_import"]["count"] == manifest["pages"] - unchanged
    # Over 200 pages into an empty archive: one rebuild once the worker linked them all.
    assert run.figures["tasks"]["index_bulk_import"]["count"] == 1
    assert "index_import" not in run.figures["tasks"]
    assert run.figures["sizes_mb"]["index"] > 0
    # Vacuumed afterwards, as autovacuum would (the machine's is off).
    vacuumed = run.target.sql(
        "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'articles_article'"
    )
    assert vacuumed == [(True,)]


def _check_edition(model: EditionModel) -> None:
    edition = Edition.objects.get(lwn_id=model.lwn_id)
    assert edition.date == model.date
    stored = {
        a.lwn_id: a
        for a in Article.objects.filter(
            lwn_id__in=[m.lwn_id for m in model.articles]
        ).prefetch_related("authors")
    }
    for meant in model.articles:
        got = stored[meant.lwn_id]
        # Not ``subscriber_only``: lwnkb keeps a feature's first-week paywall with its
        # free date, where the generator's flag says "still paywalled on its last day".
        assert (got.title, got.kind, got.section, got.date) == (
            meant.title,
            meant.kind,
            meant.section,
            meant.date,
        ), meant.lwn_id
        assert [a.name for a in got.authors.all()] == [meant.author]
        window = meant.merge_window
        if window is not None:
            items = MergeWindowItem.objects.filter(article=got)
            assert items.count() == sum(len(texts) for _, texts in window.groups)
            assert {i.release.version for i in items} == {window.version}
            devices = list(
                HardwareDevice.objects.filter(article=got)
                .order_by("position")
                .values_list("category", "name")
            )
            assert devices == [(c, n) for c, names in window.hardware for n in names]


def _check_thread(model: ArticleModel) -> None:
    got = {
        c.lwn_id: c
        for c in Comment.objects.filter(article__lwn_id=model.lwn_id).select_related("parent")
    }
    assert sorted(got) == sorted(c.lwn_id for c in model.comments)
    for meant in model.comments:
        comment = got[meant.lwn_id]
        parent = None if meant.parent is None else model.comments[meant.parent].lwn_id
        assert (
            comment.parent.lwn_id if comment.parent else None,
            comment.depth,
            comment.title,
            comment.poster_name,
            comment.posted_at,
        ) == (parent, meant.depth, meant.title, meant.author, meant.posted_at), meant.lwn_id


def test_it_imports_the_generated_archive_as_the_generator_wrote_it(tmp_path: Path) -> None:
    run = Imported(tmp_path)

    # The stage cleared Celery's keys only: this run's claim on its database stays.
    broker = redis.Redis.from_url(os.environ["LWNKB_TEST_BROKER_URL"])
    assert broker.get(OWNER_KEY) is not None
    _check_counts(run)
    editions = run.editions()
    with_window = [e for e in editions if any(a.merge_window for a in e.articles)]
    _check_edition(editions[0])
    _check_edition(with_window[0])
    articles = [a for e in editions for a in e.articles if not a.subscriber_only]
    _check_thread(max(articles, key=lambda a: len(a.comments)))

    client = Client()
    counts = {}
    for kind, path in stage_pages.page_paths(run.target).items():
        client.get(path)  # home sums its trends once, on its first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        counts[kind] = len(queries.captured_queries)
    assert counts == PAGE_QUERIES

    # The pages stage's timers (a process per scale, asked in turns; here two on the
    # same database) find the same pages, count their queries, time every request.
    for timed in stage_pages.measure([run.target, run.target], repeat=3, batch=2):
        assert {kind: row["queries"] for kind, row in timed.items()} == PAGE_QUERIES_ON_BENCH_DAY
        assert {row["requests"] for row in timed.values()} == {3}
        assert all(row["p95_ms"] >= row["p50_ms"] > 0 for row in timed.values())
