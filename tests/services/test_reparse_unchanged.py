"""``lwn_reparse`` rewrites only the pages whose parse differs from what is stored.

A page that parses to exactly the stored rows writes none, so it needs no linking and
no indexing: a reparse after a parser change costs the parse plus the changed pages.
Tasks run inline (no broker), page by page as the command commits them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from articles import search
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    Edition,
    Entity,
    HardwareDevice,
    ImportRun,
    KernelRelease,
    Mention,
    MergeWindowItem,
)
from articles.services.followup import MAX_REQUEUES
from articles.services.ingest import UNCHANGED, raw_page_reparse
from articles.services.sql.bulk_insert import objects_insert
from articles.services.sql.writes import rows_written
from tests.search.conftest import SUBSCRIBER
from tests.services.conftest import import_fixture

PAGES = (
    "edition-2020-06-11-bigpage.html",
    "article-2020-capabilities-comments.html",
    "article-2024-details-comments.html",
)
CONTENT: tuple[type[Model], ...] = (
    Edition,
    Article,
    ArticleAuthor,
    Author,
    Comment,
    MergeWindowItem,
    HardwareDevice,
    KernelRelease,
    Entity,
    Mention,
)


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Every column of every content row (audit records aside)."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in CONTENT
    }


def _index_files(root: Path) -> list[tuple[str, int, int]]:
    """The index's files with their sizes and times: any commit or rebuild changes them."""
    return sorted(
        (str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and p.name != "write.lock"
    )


def _reparse_all() -> str:
    out = io.StringIO()
    call_command("lwn_reparse", "--all", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _hits(query: str) -> int:
    return search.archive_search(query=query, user=SUBSCRIBER, facets=False).count


def _import(*names: str) -> None:
    for name in names:
        run = import_fixture(name)
        assert run.outcome == "ok", run.error


@pytest.fixture
def archive(tmp_data_dir: Path) -> Path:
    _import(*PAGES)
    return tmp_data_dir / "index"


@pytest.mark.django_db(transaction=True)
def test_it_leaves_every_row_mention_and_index_document_as_it_was(archive: Path) -> None:
    rows, files = _rows(), _index_files(archive)
    runs = ImportRun.objects.latest("pk").pk

    out = _reparse_all()

    assert f"reparsed {len(PAGES)} page(s): 0 ok, {len(PAGES)} unchanged, 0 failed" in out
    assert _rows() == rows
    assert _index_files(archive) == files  # no commit, no rebuild
    reparsed = ImportRun.objects.filter(pk__gt=runs)
    assert reparsed.count() == len(PAGES)  # each page still leaves its audit record
    for run in reparsed:
        assert (run.outcome, run.counts) == ("ok", {UNCHANGED: 1})
        assert run.followups_done_at is not None
        assert run.followups_queued_at is None
        assert "mentions_linked" not in run.counts  # never linked: nothing to link


@pytest.mark.django_db(transaction=True)
def test_it_updates_exactly_the_changed_pages_links_and_documents(archive: Path) -> None:
    article = Article.objects.get(lwn_id=1006127)  # only on its own page
    # As an older parser stored it: another title, and without the mentions it makes.
    Article.objects.filter(pk=article.pk).update(title="Stale title from an old parser")
    Mention.objects.filter(article=article).delete()
    rows, files = _rows(), _index_files(archive)
    generation = search.index_status().path

    out = _reparse_all()

    assert f"reparsed {len(PAGES)} page(s): 1 ok, {len(PAGES) - 1} unchanged, 0 failed" in out
    changed = ImportRun.objects.filter(counts__has_key="articles_updated").latest("pk")
    assert changed.raw_page == article.raw_page
    assert changed.counts["articles_updated"] == 1
    after = _rows()
    assert after["Article"] != rows["Article"]
    assert Article.objects.get(pk=article.pk).title == article.title
    assert Mention.objects.filter(article=article).exists()  # linked again
    for name in ("Comment", "Edition", "MergeWindowItem", "HardwareDevice", "ArticleAuthor"):
        assert after[name] == rows[name], name
    # Its documents were updated in place (no rebuild for one page in four).
    assert _index_files(archive) != files
    assert search.index_status().path == generation
    assert _hits('"Stale title from an old parser"') == 0
    assert _hits(f'"{article.title}"') >= 1
    assert search.index_status().documents == sum(search.index_document_counts().values())


@pytest.mark.django_db(transaction=True)
def test_it_links_an_unchanged_page_whose_earlier_import_never_did(archive: Path) -> None:
    article = Article.objects.get(lwn_id=1006127)  # only on its own page
    stuck = ImportRun.objects.filter(raw_page=article.raw_page).latest("pk")
    # Its follow-ups failed until the sweep gave up on them: never linked.
    Mention.objects.filter(article=article).delete()
    ImportRun.objects.filter(pk=stuck.pk).update(
        followups_done_at=None,
        followups_queued_at=timezone.now() - dt.timedelta(days=2),
        followups_requeued=MAX_REQUEUES,
    )
    runs = ImportRun.objects.latest("pk").pk

    out = _reparse_all()

    assert f"reparsed {len(PAGES)} page(s): 0 ok, {len(PAGES)} unchanged, 0 failed" in out
    assert Mention.objects.filter(article=article).exists()
    reparsed = ImportRun.objects.get(raw_page=article.raw_page, pk__gt=runs)
    assert reparsed.counts[UNCHANGED] == 1
    assert "mentions_linked" in reparsed.counts
    assert reparsed.followups_done_at is not None
    # The run the sweep gave up on is done now: nothing waits in admin for it.
    assert ImportRun.objects.get(pk=stuck.pk).followups_done_at is not None
    assert not ImportRun.objects.filter(outcome="ok", followups_done_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_it_rebuilds_the_index_once_when_most_pages_changed(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("articles.services.followup.BULK_MIN_PAGES", 2)
    Article.objects.update(title="Stale title from an old parser")
    generation = search.index_status().path

    out = _reparse_all()

    assert "0 failed" in out
    assert search.index_status().path != generation
    assert _hits('"Stale title from an old parser"') == 0
    assert not ImportRun.objects.filter(outcome="ok", followups_done_at__isnull=True).exists()


def test_it_stores_a_page_again_without_a_single_write(bigpage_run: ImportRun) -> None:
    raw = bigpage_run.raw_page
    assert raw is not None
    with rows_written() as writes:
        run = raw_page_reparse(raw=raw)
    # The run's own audit record is the only write: opened, then closed.
    assert writes.statements == 2
    assert run.counts == {UNCHANGED: 1}


def test_it_counts_rows_written_not_statements_run(db: None) -> None:
    with rows_written() as writes:
        Comment.objects.filter(pk__lt=0).delete()
        Article.objects.filter(pk__lt=0).update(title="x")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert writes.statements == 0
    with rows_written() as writes:
        objects_insert([Author(name="Someone")])  # COPY on PostgreSQL
        Author.objects.filter(name="Someone").update(login="someone")
    assert writes.statements == 2


@pytest.mark.django_db(transaction=True)
def test_it_stores_again_both_pages_that_disagree_about_a_row(tmp_data_dir: Path) -> None:
    """The edition counts the guest article's comments (8), its own saved page shows none:
    each page's store changes the row, so neither is skipped, and the row ends as the
    later page in import order leaves it, as it did before the reparse."""
    _import("edition-2020-06-11-bigpage.html", "article-guest-dmabuf.html")
    rows = _rows()
    runs = ImportRun.objects.latest("pk").pk

    out = _reparse_all()

    assert "reparsed 2 page(s): 2 ok, 0 unchanged, 0 failed" in out
    for run in ImportRun.objects.filter(pk__gt=runs):
        assert run.counts["articles_updated"] == 1
    assert Article.objects.get(lwn_id=822052).comment_count == 0

    def content(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        return {
            name: [{k: v for k, v in row.items() if k != "updated_at"} for row in table]
            for name, table in rows.items()
        }

    assert content(_rows()) == content(rows)


@pytest.mark.django_db(transaction=True)
def test_it_fails_a_page_the_parser_refuses_in_a_parser_process(tmp_data_dir: Path) -> None:
    _import(*PAGES[1:])
    refused = import_fixture("not-lwn.html", data=b"<html><body>no LWN page</body></html>")
    assert refused.outcome == "failed"

    with pytest.raises(CommandError):
        call_command(
            "lwn_reparse", "--all", "--parsers", "2", stdout=io.StringIO(), stderr=io.StringIO()
        )

    run = ImportRun.objects.filter(raw_page=refused.raw_page).latest("pk")
    assert run.outcome == "failed"
    assert run.error == refused.error
    assert ImportRun.objects.filter(counts__has_key=UNCHANGED).count() == len(PAGES) - 1
