"""Migration 0015: the parts of dotted names and a cap per text, stored vectors recomputed."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction

from articles.models import Article
from articles.search.analysis import IDENTIFIER_PATTERN
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

migration = importlib.import_module("articles.migrations.0015_search_vectors_parts_and_cap")


def _apply(sql: str) -> None:
    # The factory's rows leave deferred foreign-key checks pending in the test's
    # transaction, and PostgreSQL alters no table while they are (a real migrate
    # runs in a transaction of its own).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration._replace(sql)(None, SimpleNamespace(connection=connection))


def _prose_of(lwn_id: int | None) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_prose::text FROM articles_article WHERE lwn_id = %s", [lwn_id]
        )
        (row,) = cursor.fetchall()
    return str(row[0])


def test_it_recomputes_stored_vectors_both_ways() -> None:
    _apply(migration.BACKWARD)
    article: Article = ArticleFactory.create(
        title="Knobs", body_text="Set vm.swappiness, not 5.8 or lwn."
    )
    before = _prose_of(article.lwn_id)
    assert "'vm.swappiness'" in before
    assert "'swappi'" not in before

    _apply(migration.FORWARD)
    after = _prose_of(article.lwn_id)
    assert {"'vm.swappiness'", "'swappi'", "'vm'", "'5.8'"} <= set(after.replace(":", " ").split())
    assert "'8'" not in after  # a version stays whole

    _apply(migration.BACKWARD)
    assert "'swappi'" not in _prose_of(article.lwn_id)


def test_it_stores_a_text_whose_words_would_pass_the_vector_limit() -> None:
    # 200,000 different words: 2.4 MB as one tsvector, which PostgreSQL refuses.
    body = " ".join(f"w{n}x" for n in range(200_000))
    _apply(migration.BACKWARD)
    with pytest.raises(DatabaseError, match="too long for tsvector"), transaction.atomic():
        ArticleFactory(title="Huge", body_text=body)
    _apply(migration.FORWARD)
    article: Article = ArticleFactory.create(title="Huge", body_text=body)
    prose = _prose_of(article.lwn_id)
    assert "'w0x'" in prose
    assert "'w199999x'" not in prose  # past the cap: whoosh has it, PostgreSQL does not


def test_its_identifier_pattern_is_the_analyzers() -> None:
    assert migration.IDENTIFIER_PATTERN == IDENTIFIER_PATTERN
