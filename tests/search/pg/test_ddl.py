"""The postgres backend's full-text columns are opt-in: added under it, dropped on request.

DDL is transactional in PostgreSQL, so each test's drops and adds roll back with it;
the session's columns (tests/conftest.py) are there again for the next test.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from articles import search
from articles.search.pg.ddl import (
    search_columns_drop,
    search_columns_ensure,
    search_columns_present,
)
from tests.factories import ArticleFactory
from tests.search.conftest import ANONYMOUS, search_labels

pytestmark = pytest.mark.django_db

FIX = "manage.py migrate"


def _quiet_migrate(**options: object) -> str:
    out = io.StringIO()
    call_command("migrate", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.mark.postgres_only
def test_it_answers_unavailable_naming_the_fix_until_the_columns_are_added() -> None:
    article = ArticleFactory.create(title="Guard pages", body_text="A guard page stops overruns.")
    # PostgreSQL will not ALTER a table with deferred foreign-key checks pending in the
    # transaction (the test's); a real migrate runs in a transaction of its own.
    connection.check_constraints()
    assert search_columns_drop() is True
    assert search_columns_present() is False
    status = search.index_status()
    assert (status.state, status.documents) == ("missing", None)
    assert FIX in status.message
    assert "lwn_reindex" in status.message
    # The failed statement aborts its transaction: a savepoint keeps the test's usable.
    with pytest.raises(search.SearchUnavailable, match=FIX) as raised, transaction.atomic():
        search.archive_search(query="overruns", user=ANONYMOUS)
    assert raised.value.reason == "missing"

    assert search_columns_ensure() is True  # computed for the rows already stored
    assert search_columns_ensure() is False  # idempotent
    assert search_columns_present() is True
    assert search.index_status().state == "ok"
    found = search.archive_search(query="overruns", user=ANONYMOUS)
    assert search_labels(found) == [f"article:{article.lwn_id}"]


@pytest.mark.postgres_only
def test_it_adds_the_columns_after_migrate_under_postgres_only() -> None:
    search_columns_drop()
    with override_settings(SEARCH_BACKEND="whoosh"):
        assert "full-text search columns" not in _quiet_migrate()
        assert search_columns_present() is False
    out = _quiet_migrate()
    assert search_columns_present() is True
    assert out.count("Adding the PostgreSQL full-text search columns") == 1
    assert "full-text search columns" not in _quiet_migrate()  # present: nothing said


@pytest.mark.postgres_only
def test_its_post_migrate_handler_adds_missing_columns_quietly_when_asked() -> None:
    search_columns_drop()
    out = io.StringIO()
    sender = apps.get_app_config("articles")
    search.index_on_migrate(sender, using="default", verbosity=0, stdout=out)
    assert search_columns_present() is True
    assert out.getvalue() == ""


@pytest.mark.postgres_only
def test_it_still_has_the_session_columns_after_tests_dropped_them() -> None:
    """The drops above were inside their tests' transactions and were rolled back."""
    assert search_columns_present() is True
    article = ArticleFactory.create(title="Shadow stacks", body_text="Return addresses.")
    found = search.archive_search(query="shadow", user=ANONYMOUS)
    assert search_labels(found) == [f"article:{article.lwn_id}"]


@pytest.mark.postgres_only
def test_lwn_reindex_adds_the_columns_under_postgres() -> None:
    search_columns_drop()
    out = io.StringIO()
    call_command("lwn_reindex", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "would add the PostgreSQL full-text search columns" in out.getvalue()
    assert search_columns_present() is False
    call_command("lwn_reindex", stdout=out, stderr=io.StringIO())
    assert "added the PostgreSQL full-text search columns" in out.getvalue()
    assert search_columns_present() is True


@pytest.mark.postgres_only
def test_lwn_reindex_drops_the_columns_only_after_switching_back_to_whoosh() -> None:
    with pytest.raises(CommandError, match="LWNKB_SEARCH_BACKEND=whoosh first"):
        call_command("lwn_reindex", "--drop-postgres-columns", stdout=io.StringIO())
    assert search_columns_present() is True
    out = io.StringIO()
    with override_settings(SEARCH_BACKEND="whoosh"):
        call_command("lwn_reindex", "--drop-postgres-columns", "--dry-run", stdout=out)
        assert search_columns_present() is True
        call_command("lwn_reindex", "--drop-postgres-columns", stdout=out)
        assert search_columns_present() is False
        call_command("lwn_reindex", "--drop-postgres-columns", stdout=out)
    assert out.getvalue().splitlines() == [
        "would drop the PostgreSQL full-text search columns",
        "dropped the PostgreSQL full-text search columns",
        "no PostgreSQL full-text search columns: nothing to drop",
    ]


@pytest.mark.backend_independent
def test_it_leaves_other_databases_alone() -> None:
    """On SQLite (and on PostgreSQL, once dropped) there is nothing to add or drop."""
    if connection.vendor == "postgresql":
        assert search_columns_drop() is True
    assert search_columns_drop() is False
    assert search_columns_present() is False
    if connection.vendor != "postgresql":
        assert search_columns_ensure() is False
        with override_settings(SEARCH_BACKEND="postgres"):
            assert "full-text search columns" not in _quiet_migrate()
