"""Migration 0013 on PostgreSQL: existing rows get a time, and no table is rewritten."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("articles", "0012_importrun_started_by")
AFTER = ("articles", "0013_sync_updated_at_tombstones")


def _migrate(target: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor


def _migrate_to_latest() -> None:
    # Stopping at AFTER would leave every later migration's tables missing for the
    # tests that run next on this database (CI saw "articles_curationevent does not exist").
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_it_stamps_existing_rows_without_rewriting_the_comment_table() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's fast column defaults")
    try:
        old = _migrate(BEFORE).loader.project_state([BEFORE]).apps
        article = old.get_model("articles", "Article").objects.create(kind="feature", title="Old")
        old.get_model("articles", "Comment").objects.create(
            lwn_id=1, article=article, poster_name="reader", posted_at=timezone.now()
        )
        started = timezone.now()
        new = _migrate(AFTER).loader.project_state([AFTER]).apps
        stamp = new.get_model("articles", "Comment").objects.get(lwn_id=1).updated_at
        assert started - dt.timedelta(minutes=1) < stamp <= timezone.now()
        with connection.cursor() as cursor:
            # atthasmissing: the value lives in the catalogue, the rows were not rewritten.
            cursor.execute(
                "SELECT atthasmissing FROM pg_attribute "
                "WHERE attrelid = 'articles_comment'::regclass AND attname = 'updated_at'"
            )
            assert cursor.fetchone() == (True,)
    finally:
        _migrate_to_latest()


@pytest.mark.django_db
def test_it_leaves_every_table_of_the_latest_migration_in_place() -> None:
    # Runs after the test above in this module: the database is whole again.
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
