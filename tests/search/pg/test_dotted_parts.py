"""Migration 0015: prose vectors hold the parts of dotted names, recomputed where stored."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

migration = importlib.import_module("articles.migrations.0015_prose_dotted_parts")


def _apply(sql: str) -> None:
    # The factory's rows leave deferred foreign-key checks pending in the test's
    # transaction, and PostgreSQL alters no table while they are (a real migrate
    # runs in a transaction of its own).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration._replace(sql)(None, SimpleNamespace(connection=connection))


def _prose_of(lwn_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_prose::text FROM articles_article WHERE lwn_id = %s", [lwn_id]
        )
        (row,) = cursor.fetchall()
    return str(row[0])


def test_it_recomputes_stored_vectors_both_ways() -> None:
    _apply(migration.PROSE_WHOLE)
    article = ArticleFactory(title="Knobs", body_text="Set vm.swappiness, not 5.8 or lwn.")
    before = _prose_of(article.lwn_id)
    assert "'vm.swappiness'" in before
    assert "'swappi'" not in before

    _apply(migration.PROSE_WITH_PARTS)
    after = _prose_of(article.lwn_id)
    assert {"'vm.swappiness'", "'swappi'", "'vm'", "'5.8'"} <= set(after.replace(":", " ").split())
    assert "'8'" not in after  # a version stays whole

    _apply(migration.PROSE_WHOLE)
    assert "'swappi'" not in _prose_of(article.lwn_id)
