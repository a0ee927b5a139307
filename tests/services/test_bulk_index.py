"""A bulk import is linked page by page and indexed by one rebuild once all of it is linked.

No broker here: tasks run inline, so a follow-up has run when its import's commit returns.
The real worker's side (the rebuild waiting for linking) is covered by the archive
benchmark's own test, ``tests/bench/test_archive_bench.py``.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from articles import search
from articles.models import Article, ImportRun, Mention, RawPage
from articles.services.followup import (
    BULK_MIN_PAGES,
    LINKED,
    bulk_index_done,
    bulk_unlinked,
    followups_queue,
    index_once,
)
from articles.services.ingest import page_import
from articles.tasks import index_bulk_import  # inline: tests have no broker
from tests.search.conftest import SUBSCRIBER
from tests.services.conftest import FIXTURE_URLS, fixture_bytes

pytestmark = pytest.mark.django_db

PAGES = ("article-2020-capabilities-comments.html", "article-2024-details-comments.html")


def deferred_import(name: str) -> ImportRun:
    run = page_import(
        data=fixture_bytes(name), source=name, url=FIXTURE_URLS.get(name), index_deferred=True
    )
    assert run.outcome == "ok", run.error
    return ImportRun.objects.get(pk=run.pk)


def hits(query: str) -> int:
    """Documents found for ``query``; 0 without an index (not searched: a search would
    queue the index's repair, a rebuild, and hide what the import left)."""
    if search.index_status().state != "ok":
        return 0
    return search.archive_search(query=query, user=SUBSCRIBER, facets=False).count


def indexed_everything() -> bool:
    return search.index_status().documents == sum(search.index_document_counts().values())


def test_it_links_a_deferred_page_but_leaves_it_out_of_the_index(
    tmp_data_dir: Path, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run = deferred_import(PAGES[0])
    run.refresh_from_db()
    assert LINKED in run.counts
    assert Mention.objects.filter(article__raw_page=run.raw_page).exists()
    assert run.followups_done_at is None  # waits for the bulk's rebuild
    assert hits("CAP_PERFMON") == 0


def test_it_indexes_the_bulk_once_and_marks_every_linked_page_done(
    tmp_data_dir: Path, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        runs = [deferred_import(name) for name in PAGES]
    first, last = runs[0].pk, runs[-1].pk
    assert bulk_unlinked(first_run_id=first, last_run_id=last) == 0
    result = index_bulk_import.delay(first, last).get()
    assert "2 imports indexed" in result
    assert (
        ImportRun.objects.filter(pk__in=[first, last], followups_done_at__isnull=False).count() == 2
    )
    assert hits("CAP_PERFMON") > 0
    assert indexed_everything()


def test_it_leaves_a_page_whose_linking_never_ran_to_the_sweep(tmp_data_dir: Path) -> None:
    # No on-commit callbacks: as if the broker lost the page's follow-ups.
    run = deferred_import(PAGES[0])
    assert bulk_unlinked(first_run_id=run.pk, last_run_id=run.pk) == 1
    assert bulk_index_done(first_run_id=run.pk, last_run_id=run.pk) == 0
    run.refresh_from_db()
    assert run.followups_done_at is None
    assert run.index_deferred is False  # the sweep's follow-ups index it on their own


def test_it_indexes_a_page_queued_again_on_its_own(
    tmp_data_dir: Path, django_capture_on_commit_callbacks: object
) -> None:
    run = deferred_import(PAGES[0])
    assert followups_queue(run_id=run.pk, again=True)  # inline: linked and indexed now
    run.refresh_from_db()
    assert run.index_deferred is False
    assert run.followups_done_at is not None
    assert hits("CAP_PERFMON") > 0


@pytest.mark.parametrize(
    ("pages", "stored", "once"),
    [
        (BULK_MIN_PAGES - 1, 0, False),  # too few to be worth a rebuild
        (BULK_MIN_PAGES, 0, True),  # a first import
        (1000, 2000, True),  # half the archive again
        (1000, 2001, False),  # a rebuild would index more old pages than it saves on new
    ],
)
def test_it_rebuilds_only_when_the_bulk_is_large_against_the_archive(
    pages: int, stored: int, once: bool
) -> None:
    assert index_once(pages=pages, stored=stored) is once


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in PAGES:
        (folder / name).write_bytes(fixture_bytes(name))
    return folder


# The commands commit page by page, as they do in production: each page's follow-ups
# run at its commit, before the command queues the rebuild.
@pytest.mark.django_db(transaction=True)
def test_it_imports_a_folder_with_one_index_rebuild_when_asked(tmp_data_dir: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "lwn_import", str(_folder(tmp_data_dir)), "--index", "once", stdout=out, stderr=err
    )
    assert "rebuilding it once for 2 imports" in err.getvalue()
    runs = ImportRun.objects.filter(outcome="ok")
    assert runs.count() == 2
    assert set(runs.values_list("index_deferred", flat=True)) == {True}
    assert not runs.filter(followups_done_at__isnull=True).exists()
    assert indexed_everything()


@pytest.mark.django_db(transaction=True)
def test_it_indexes_each_page_of_a_small_folder_on_its_own(tmp_data_dir: Path) -> None:
    err = io.StringIO()
    call_command("lwn_import", str(_folder(tmp_data_dir)), stdout=io.StringIO(), stderr=err)
    assert "rebuilding" not in err.getvalue()
    assert not ImportRun.objects.filter(index_deferred=True).exists()
    assert not ImportRun.objects.filter(outcome="ok", followups_done_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_it_reparses_the_whole_archive_with_one_index_rebuild(
    tmp_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in PAGES:
        page_import(data=fixture_bytes(name), source=name, url=FIXTURE_URLS.get(name))
    shutil.rmtree(tmp_data_dir / "index")  # only the rebuild can bring the documents back
    Article.objects.update(title="As an older parser stored it")  # every page changes
    monkeypatch.setattr("articles.services.followup.BULK_MIN_PAGES", 2)
    err = io.StringIO()
    call_command("lwn_reparse", "--all", stdout=io.StringIO(), stderr=err)
    assert "one task indexes the 2 changed pages" in err.getvalue()
    reparsed = ImportRun.objects.filter(source__startswith="reparse of raw page")
    assert reparsed.count() == RawPage.objects.count() == 2
    assert not reparsed.filter(followups_done_at__isnull=True).exists()
    assert indexed_everything()
    assert Article.objects.exists()


def test_it_does_not_rebuild_twice_for_a_bulk_delivered_twice(
    tmp_data_dir: Path, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run = deferred_import(PAGES[0])
    assert "1 imports indexed" in index_bulk_import.delay(run.pk, run.pk).get()
    generation = search.index_status().path
    assert "indexed already" in index_bulk_import.delay(run.pk, run.pk).get()
    assert search.index_status().path == generation
