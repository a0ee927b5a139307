"""Keeping the index in step with imports: the follow-up task, deletions, entities."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import search
from articles.models import (
    Article,
    Comment,
    Entity,
    EntityKind,
    ImportRun,
    Mention,
    MentionStatus,
    RawPage,
)
from articles.search.whoosh import index
from articles.services import followup
from articles.tasks import index_import
from lwnkb.celery import app
from tests.factories import ArticleFactory
from tests.search.conftest import ANONYMOUS, SUBSCRIBER, import_all, search_labels

pytestmark = pytest.mark.django_db


def labels(query: str) -> list[str]:
    return search_labels(search.archive_search(query=query, user=SUBSCRIBER, page_size=100))


def test_it_indexes_each_import_after_it_commits(indexed_archive: list[ImportRun]) -> None:
    """The first import found no index and rebuilt it; later ones updated it."""
    assert search.index_status().documents == (
        Article.objects.count() + Comment.objects.count() + 32 + 25
    )
    assert labels("faccessat2") == ["merge:Core kernel", "article:821534"]
    assert "comment:1006214" in labels("/proc/pid/maps")
    # Linking ran before indexing, so the index knows the entities it found.
    assert "article:821729" in labels("entity:CAP_PERFMON")


def test_it_replaces_what_an_import_touched_and_drops_rows_that_are_gone(
    indexed_archive: list[ImportRun],
) -> None:
    bigpage, _, capabilities, *_ = indexed_archive
    assert "comment:821902" in labels("biscuit")
    Comment.objects.filter(lwn_id=821902).delete()
    Article.objects.filter(lwn_id=822350).delete()  # dropped from the edition page
    Article.objects.filter(lwn_id=822256).update(title="Seccomp and deeper inspection")
    search.index_documents_for_import(run=capabilities)
    search.index_documents_for_import(run=bigpage)
    assert "comment:821902" not in labels("biscuit")
    assert labels("title:assistant") == []
    assert labels('title:"deeper inspection"') == ["article:822256"]


def test_it_records_linked_entities_except_rejected_mentions(db: None) -> None:
    kept = ArticleFactory.create(title="Kept", body_text="CAP_BPF arrives.")
    rejected = ArticleFactory.create(title="Rejected", body_text="The cap bpf thing.")
    entity = Entity.objects.create(kind=EntityKind.CAPABILITY, name="CAP_BPF")
    Mention.objects.create(entity=entity, article=kept, status=MentionStatus.ACCEPTED)
    Mention.objects.create(entity=entity, article=rejected, status=MentionStatus.REJECTED)
    search.index_rebuild()
    assert labels("entity:cap_bpf") == [f"article:{kept.lwn_id}"]
    assert labels("entity:CAP_B*") == [f"article:{kept.lwn_id}"]
    Mention.objects.filter(article=rejected).update(status=MentionStatus.PENDING)
    search.index_documents_for_articles(article_ids=[rejected.pk])
    assert sorted(labels("entity:CAP_BPF")) == sorted(
        [f"article:{kept.lwn_id}", f"article:{rejected.lwn_id}"]
    )


@pytest.mark.whoosh_only  # schema versions and rebuilds of the whoosh index
def test_it_queues_a_rebuild_when_the_index_cannot_take_updates(
    indexed_archive: list[ImportRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "SCHEMA_VERSION", index.SCHEMA_VERSION + 1)
    with pytest.raises(search.SearchUnavailable):
        search.index_documents_for_import(run=indexed_archive[0])
    ImportRun.objects.filter(pk=indexed_archive[0].pk).update(followups_done_at=None)
    result = index_import.apply(args=[indexed_archive[0].pk]).get()
    assert result.endswith("index outdated, rebuild queued")
    assert search.index_status().state == "ok"  # the queued rebuild ran inline
    assert search.archive_search(query="faccessat2", user=ANONYMOUS).count == 2


@pytest.mark.whoosh_only  # one commit for many imports is whoosh's saving
def test_it_indexes_linked_imports_waiting_for_their_index_in_one_batch(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    search.index_rebuild()  # an empty index: updates go in, no rebuild is queued
    *linked, unlinked = import_all()
    # Linking only: each run's own index task is left in the (absent) queue.
    monkeypatch.setattr(followup, "task_enqueue", lambda *args: None)
    for run in linked:
        followup.import_followups(run_id=run.pk)
    commits: list[int] = []
    real_update = index.update

    def counted(**kwargs: Any) -> int:
        commits.append(1)
        return real_update(**kwargs)

    monkeypatch.setattr(index, "update", counted)

    result = index_import.apply(args=[linked[-1].pk]).get()

    assert result.endswith(f"(with {len(linked) - 1} more imports)")
    assert len(commits) == 1
    done = ImportRun.objects.filter(followups_done_at__isnull=False)
    assert set(done.values_list("pk", flat=True)) == {r.pk for r in linked}
    assert labels("faccessat2") == ["merge:Core kernel", "article:821534"]
    # The others' own tasks find their run done and write nothing.
    assert index_import.apply(args=[linked[0].pk]).get().endswith("with an earlier batch")
    assert len(commits) == 1
    # A run not linked yet waits for its own task, which indexes it after linking.
    assert unlinked.pk not in set(done.values_list("pk", flat=True))


@pytest.mark.backend_independent  # reads runs, searches nothing
def test_it_never_reads_a_stored_pages_bytes_to_link_or_batch_imports(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = import_all()
    monkeypatch.setattr(followup, "task_enqueue", lambda *args: None)

    with CaptureQueriesContext(connection) as ctx:
        for run in runs:
            followup.import_followups(run_id=run.pk)
        with transaction.atomic():
            batch = followup.index_batch(run_id=runs[0].pk)
        # The same runs as a bulk import's, as a reparse updates them batch by batch.
        ImportRun.objects.filter(pk__in=[r.pk for r in runs]).update(index_deferred=True)
        with transaction.atomic():
            bulk = followup.bulk_index_batch(first_run_id=runs[0].pk, last_run_id=runs[-1].pk)

    assert len(batch) == len(runs)
    assert [r.pk for r in bulk] == [r.pk for r in batch]
    # Still the raw page's LWN id, which indexing reads (``batches``).
    last = batch[-1]
    assert last.raw_page is not None
    assert last.raw_page.lwn_id == RawPage.objects.get(import_runs=last).lwn_id
    assert not [q["sql"] for q in ctx.captured_queries if "content_gz" in q["sql"]]


@pytest.mark.backend_independent  # the task's retry, with the facade replaced
def test_it_retries_the_index_task_while_the_lock_is_busy(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = ImportRun.objects.create(source="test", outcome="ok")
    attempts: list[int] = []

    def busy_once(**kwargs: Any) -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise search.IndexBusy("locked")
        return 0

    monkeypatch.setattr(search, "index_documents_for_import", busy_once)
    # throw=False: an inline run then retries like a worker would, instead of raising Retry.
    result = index_import.apply(args=[run.pk], throw=False)
    assert result.get() == f"import {run.pk}: 0 documents indexed"
    assert len(attempts) == 2
    assert index_import.apply(args=[run.pk + 1000]).get().endswith("gone")


@pytest.mark.backend_independent
def test_it_routes_index_tasks_to_their_own_queue_with_named_retries() -> None:
    app.loader.import_default_modules()
    for name in ("articles.tasks.index_import", "articles.tasks.index_rebuild"):
        task: Any = app.tasks[name]
        assert app.amqp.router.route({}, name)["queue"].name == "index"
        assert search.IndexBusy in task.autoretry_for
        assert task.retry_jitter is True
        assert task.max_retries == 12
        assert task.soft_time_limit < task.time_limit


@pytest.mark.backend_independent  # row locks on ImportRun, no search
@pytest.mark.django_db(transaction=True)
def test_it_never_gives_two_index_batches_the_same_runs() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) need PostgreSQL")
    runs = [
        ImportRun.objects.create(source=f"s{n}", outcome="ok", counts={followup.LINKED: 0})
        for n in range(4)
    ]
    taken: list[list[int]] = []
    holding, release = threading.Event(), threading.Event()

    def first_batch() -> None:
        try:
            with transaction.atomic():
                taken.append([r.pk for r in followup.index_batch(run_id=runs[0].pk, limit=2)])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_batch)
    thread.start()
    assert holding.wait(10)
    with transaction.atomic():
        second = [r.pk for r in followup.index_batch(run_id=runs[3].pk)]
        held = followup.index_batch(run_id=runs[1].pk)
    release.set()
    thread.join(10)

    assert taken == [[runs[0].pk, runs[1].pk]]
    assert second == [runs[3].pk, runs[2].pk]
    assert held == []  # its own task leaves it to the batch that holds it
