"""What an import costs the database: statements per page, indexes, storage settings.

``bench/bench_ingest.py`` measures the time; these pin the shape that time
depends on, so a change that adds a statement per article or an index to a
hot table fails here first.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author, Edition, ImportRun, KernelRelease, RawPage
from articles.services.ingest import page_import
from articles.services.sql.plain import object_insert, object_update, pks_by
from bench.bench_ingest import generated_edition
from tests.services.conftest import FIXTURE_URLS, fixture_bytes, import_fixture

pytestmark = pytest.mark.django_db

BIG = "edition-2020-06-11-bigpage.html"
# Tables every edition import writes rows to.
HOT_TABLES = (
    "articles_article",
    "articles_articleauthor",
    "articles_mergewindowitem",
    "articles_hardwaredevice",
    "articles_rawpage",
)


def _another_edition(n: int) -> tuple[str, bytes]:
    """The big page as edition ``n`` of ``bench_ingest``: every LWN id moved."""
    return generated_edition(fixture_bytes(BIG), n)


def _statements(url: str, data: bytes) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        run = page_import(data=data, source=url, url=url)
    assert run.outcome == "ok", run.error
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_it_stores_a_new_edition_in_a_fixed_number_of_statements() -> None:
    import_fixture(BIG)  # authors and the 5.8 release exist from here on

    statements = _statements(*_another_edition(0))

    # Raw page, run; the statement deadline read; lock, edition, article keys, ids,
    # articles, authors, bylines, release, merge items, devices; the run's outcome;
    # the deadline put back. One each, however many articles, merge-window items or
    # devices the page holds.
    assert len(statements) == 15, "\n".join(s[:100] for s in statements)
    copies = [s for s in statements if s.startswith("COPY")]
    assert len(copies) == 4


def test_it_moves_articles_into_their_edition_without_writing_their_texts_again() -> None:
    # Saved pages import in path order: an article's own page before its edition's.
    import_fixture("article-2020-capabilities-comments.html")
    body = Article.objects.get(lwn_id=821729).body_text

    statements = _statements(FIXTURE_URLS[BIG], fixture_bytes(BIG))

    [update] = [s for s in statements if s.startswith('UPDATE "articles_article"')]
    assert '"edition_id"' in update
    assert '"position"' in update
    assert '"body_text"' not in update
    assert '"body_html"' not in update
    article = Article.objects.get(lwn_id=821729)
    assert article.edition is not None
    assert article.body_text == body


def test_it_inserts_a_raw_page_once_and_labels_it_with_the_id_in_its_address() -> None:
    url, data = _another_edition(1)
    first = page_import(data=data, source=url, url=url)
    again = page_import(data=data, source="again", url=url)

    assert RawPage.objects.count() == 1
    assert first.raw_page_id == again.raw_page_id
    assert RawPage.objects.get().lwn_id == 822335 + 20_000
    assert again.outcome == "skipped"


def test_it_labels_the_raw_page_of_a_page_that_failed_to_parse() -> None:
    run = page_import(
        data=b"<html><body>no LWN here</body></html>",
        source="broken",
        url="https://lwn.net/Articles/999999/",
    )

    assert run.outcome == "failed"
    assert run.raw_page is not None
    assert run.raw_page.lwn_id == 999999


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        (value,) = cursor.fetchone()
    return str(value)


@pytest.mark.skipif("not _pg()", reason="a PostgreSQL setting")
@pytest.mark.django_db(transaction=True)
def test_it_lets_only_the_opening_commit_skip_waiting_for_the_disk() -> None:
    url, data = _another_edition(2)
    seen: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run = page_import(data=data, source=url, url=url)

    assert run.outcome == "ok"
    relaxed = [n for n, sql in enumerate(seen) if "synchronous_commit" in sql]
    raw_insert = next(n for n, sql in enumerate(seen) if "articles_rawpage" in sql)
    assert len(relaxed) == 1
    assert relaxed[0] < raw_insert  # SET LOCAL: that transaction only
    assert _synchronous_commit() == "on"


@pytest.mark.skipif("not _pg()", reason="a PostgreSQL setting")
def test_it_leaves_a_callers_transaction_committing_durably() -> None:
    url, data = _another_edition(3)
    with transaction.atomic():
        page_import(data=data, source=url, url=url)
        assert _synchronous_commit() == "on"


@pytest.mark.skipif("not _pg()", reason="PostgreSQL's index and storage settings")
def test_it_keeps_no_index_an_import_pays_for_and_no_query_uses() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
            [list(HOT_TABLES)],
        )
        indexes = cursor.fetchall()

    assert not [name for _, name, _ in indexes if name.endswith("_like")]
    # A foreign key that leads a unique constraint needs no index of its own.
    single = {(table, d.split("(")[-1].rstrip(")")) for table, _, d in indexes if "," not in d}
    assert ("articles_article", "edition_id") not in single
    for table in ("articles_articleauthor", "articles_mergewindowitem", "articles_hardwaredevice"):
        assert (table, "article_id") not in single


@pytest.mark.skipif("not _pg()", reason="PostgreSQL's index and storage settings")
def test_it_compresses_bodies_with_lz4_and_never_recompresses_the_gzipped_page() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        (lz4,) = cursor.fetchone()
        cursor.execute(
            "SELECT c.relname, a.attname, a.attcompression, a.attstorage "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relname IN ('articles_article', 'articles_comment', 'articles_rawpage') "
            "AND a.attname IN ('body_html', 'body_text', 'content_gz')"
        )
        columns = {(t, c): (compression, storage) for t, c, compression, storage in cursor}

    assert columns[("articles_rawpage", "content_gz")][1] == "e"  # external: stored as is
    expected = "l" if lz4 else ""
    for table in ("articles_article", "articles_comment"):
        for column in ("body_html", "body_text"):
            assert columns[(table, column)][0] == expected


def test_its_insert_unless_exists_reports_a_row_that_is_already_there() -> None:
    first = Edition(lwn_id=1, title="first")
    assert object_insert(first, unless_exists="lwn_id") is True
    assert first.pk is not None
    assert first.created_at is not None  # auto_now_add, as save() fills it

    second = Edition(lwn_id=1, title="second")
    assert object_insert(second, unless_exists="lwn_id") is False
    assert second.pk is None
    assert Edition.objects.get().title == "first"


def test_its_update_writes_only_the_named_fields() -> None:
    run = ImportRun(source="s", parser_version="1")
    object_insert(run)
    run.counts = {"articles_created": 3}
    run.error = "not written"
    object_update(run, ["counts"])

    stored = ImportRun.objects.get(pk=run.pk)
    assert stored.counts == {"articles_created": 3}
    assert stored.error == ""


def test_its_key_lookup_maps_values_to_primary_keys() -> None:
    a = Author.objects.create(name="A. Writer")
    KernelRelease.objects.create(version="5.8")

    assert pks_by(Author, "name", {"A. Writer", "Nobody"}) == {"A. Writer": a.pk}
    assert pks_by(KernelRelease, "version", []) == {}
