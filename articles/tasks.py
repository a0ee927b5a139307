"""Celery tasks: thin wrappers that take ids, call one service, and return.

Retries are for named transient errors only (lwn.net unavailable, a lost
database connection), with exponential backoff, jitter and a cap. Every task
has time limits. Schedules live in ``settings.CELERY_BEAT_SCHEDULE``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from articles import search
from articles.models import Article, ArticleKind, ImportRun, RawPage
from articles.services.enqueue import BROKER_ERRORS
from articles.services.fetch import LWNFetcher
from articles.services.fetch.remote import (
    article_import_remote,
    current_edition_id,
    edition_import_remote,
    feature_ids,
    frontpage_refresh,
)
from articles.services.fetch.types import FetchUnavailable
from articles.services.followup import (
    bulk_index_batch,
    bulk_index_done,
    bulk_rebuilds,
    bulk_unlinked,
    bulk_waiting,
    followups_done,
    followups_done_many,
    followups_pending,
    import_followups,
    import_followups_sweep,
    index_batch,
)
from articles.services.import_requests import import_request_close, import_request_fail
from articles.services.ingest import raw_page_reparse

logger = logging.getLogger("lwnkb.tasks")

TRANSIENT = (FetchUnavailable, OperationalError, InterfaceError)
RETRY: dict[str, Any] = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}
# Comments keep arriving for weeks after an article is published.
COMMENT_REFRESH_DAYS = 21


@contextmanager
def _requested(task: Task[Any, Any], run_id: int | None) -> Iterator[None]:
    """Close the API's requested run ``run_id`` as failed when the task gives up.

    A transient error with retries left keeps it running: the retry may still succeed.
    """
    try:
        yield
    except BaseException as exc:
        retrying = isinstance(exc, TRANSIENT) and task.request.retries < (task.max_retries or 0)
        if run_id is not None and not retrying:
            import_request_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(bind=True, **RETRY, time_limit=15 * 60, soft_time_limit=14 * 60)
def import_edition(self: Task[Any, Any], lwn_id: int, run_id: int | None = None) -> str:
    """Import edition ``lwn_id`` from its big page, then queue each feature's comment page.

    One task per article page keeps a slow or missing page from failing the edition.
    ``run_id`` is the run the API opened for the request: it gets the edition's result.
    """
    fetcher = LWNFetcher.from_settings()
    with _requested(self, run_id):
        (run,) = edition_import_remote(fetcher=fetcher, lwn_id=lwn_id, with_comments=False)
    if run_id is not None:
        import_request_close(run_id=run_id, runs=[run])
    if run.outcome != "failed":
        for article_id in feature_ids(run):
            try:
                refresh_comments.delay_on_commit(article_id)
            except BROKER_ERRORS as exc:
                # The edition is stored; the daily refresh fetches these comment pages.
                logger.warning(
                    "edition %s: comment pages not queued (broker unavailable: %s); "
                    "refresh_recent_comments fetches them",
                    lwn_id,
                    exc,
                )
                break
    return f"edition {lwn_id}: {run.outcome}"


@shared_task(**RETRY, time_limit=15 * 60, soft_time_limit=14 * 60)
def import_current_edition() -> str:
    """Find the newest edition through ``/current/`` and import it."""
    lwn_id = current_edition_id(fetcher=LWNFetcher.from_settings())
    return str(import_edition(lwn_id))


@shared_task(**RETRY, time_limit=5 * 60, soft_time_limit=4 * 60)
def import_front_page() -> str:
    """Import the lwn.net home page, then queue the own page of each headline left a teaser.

    Periodic (``CELERY_BEAT_SCHEDULE``): the home page carries the items posted
    between weekly editions.
    """
    run, queued = frontpage_refresh(fetcher=LWNFetcher.from_settings())
    return f"home page: {run.outcome}, {queued} article pages queued"


@shared_task(bind=True, **RETRY, time_limit=5 * 60, soft_time_limit=4 * 60)
def refresh_comments(self: Task[Any, Any], lwn_id: int, run_id: int | None = None) -> str:
    """Re-fetch one article page so newly posted comments are stored.

    ``run_id`` is the run the API opened for the request: it gets the page's result.
    """
    with _requested(self, run_id):
        run = article_import_remote(fetcher=LWNFetcher.from_settings(), lwn_id=lwn_id)
    if run_id is not None:
        import_request_close(run_id=run_id, runs=[run])
    return f"article {lwn_id}: {run.outcome}"


@shared_task(time_limit=60, soft_time_limit=50)
def refresh_recent_comments() -> int:
    """Queue ``refresh_comments`` for recent features and for paywalled pages now free."""
    today = timezone.now().date()
    recent = Article.objects.filter(
        kind__in=[ArticleKind.FEATURE, ArticleKind.GUEST],
        lwn_id__isnull=False,
        date__gte=today - dt.timedelta(days=COMMENT_REFRESH_DAYS),
    )
    # Pages recorded as "subscription required" are fetched again once LWN frees them.
    freed = Article.objects.filter(
        subscriber_only=True, free_on__lte=today, body_text="", lwn_id__isnull=False
    )
    ids = sorted(
        {i for i in recent.values_list("lwn_id", flat=True) if i is not None}
        | {i for i in freed.values_list("lwn_id", flat=True) if i is not None}
    )
    for lwn_id in ids:
        refresh_comments.delay_on_commit(lwn_id)
    return len(ids)


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def reparse_raw_page(raw_page_id: int) -> str:
    """Re-parse one stored page with the current parser; quiet if the page is gone."""
    raw = RawPage.objects.filter(pk=raw_page_id).first()
    if raw is None:
        return f"raw page {raw_page_id}: gone"
    return f"raw page {raw_page_id}: {raw_page_reparse(raw=raw).outcome}"


@shared_task(bind=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def reparse_requested(self: Task[Any, Any], raw_page_ids: list[int], run_id: int) -> str:
    """Re-parse the stored pages the API was asked to, and close its run ``run_id``.

    Pages deleted since are left out; no network, so nothing to retry.
    """
    runs = []
    with _requested(self, run_id):
        for raw in RawPage.objects.filter(pk__in=raw_page_ids).order_by("pk"):
            runs.append(raw_page_reparse(raw=raw))
    import_request_close(run_id=run_id, runs=runs)
    return f"reparse {run_id}: {len(runs)} pages"


@shared_task(time_limit=10 * 60, soft_time_limit=9 * 60)
def after_import(run_id: int) -> None:
    """Link and index what one import wrote; quiet if the run is gone."""
    import_followups(run_id=run_id)


# Index writers take turns (one lock); a writer that waited too long retries later.
INDEX_RETRY: dict[str, Any] = {
    "autoretry_for": (search.IndexBusy, OperationalError, InterfaceError),
    "retry_backoff": 10,
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
    "max_retries": 12,
}


# How long an import's index task waits for another writer. Briefly: the writer holding
# the lock is most likely indexing this run in its batch, and a worker process waiting
# on it links nothing meanwhile; the retry finds the run done.
BATCH_LOCK_WAIT = 1.0


@shared_task(**INDEX_RETRY, time_limit=10 * 60, soft_time_limit=9 * 60)
def index_import(run_id: int) -> str:
    """Update the search index for what import ``run_id`` wrote; quiet if the run is gone.

    Other linked imports still waiting for their index go in the same commit
    (``index_batch``); a run an earlier batch took is done and returns at once.
    When the index cannot take updates (missing, outdated or damaged), queue a
    rebuild instead: it reads the whole archive, this import included.
    """
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return f"import {run_id}: gone"
    if run.followups_done_at is not None:
        return f"import {run_id}: indexed with an earlier batch"
    try:
        # The batch's runs stay locked until it is indexed and marked done, so two
        # index tasks never take the same runs.
        with transaction.atomic():
            batch = index_batch(run_id=run_id)
            if not batch:
                return f"import {run_id}: being indexed with another batch"
            run, others = batch[0], batch[1:]
            if run.followups_done_at is not None:
                return f"import {run_id}: indexed with an earlier batch"
            count = search.index_documents_for_import(
                run=run, with_runs=others, timeout=BATCH_LOCK_WAIT
            )
            followups_done_many(run_ids=[r.pk for r in batch])
    except search.SearchUnavailable as exc:
        logger.warning("search index %s: queueing a rebuild for import %s", exc.reason, run_id)
        try:
            index_rebuild.delay()
        except BROKER_ERRORS:
            followups_pending(run_id=run_id)  # the sweep tries the whole sequence again
            raise
        # The rebuild reads the whole archive, this import included.
        followups_done(run_id=run_id)
        return f"import {run_id}: index {exc.reason}, rebuild queued"
    together = f" (with {len(others)} more imports)" if others else ""
    return f"import {run_id}: {count} documents indexed{together}"


@shared_task(**INDEX_RETRY, time_limit=6 * 60 * 60, soft_time_limit=6 * 60 * 60 - 60)
def index_rebuild(if_needed: bool = True) -> str:
    """Rebuild the search index from the database and swap it in (``lwn_reindex``).

    With ``if_needed`` (the default for queued repairs) a current index is left
    alone, so several queued repairs rebuild once.
    """
    report = search.index_rebuild(if_needed=if_needed)
    if report is None:
        return "search index current: not rebuilt"
    return f"search index rebuilt: {report.documents} documents in {report.seconds:.0f} s"


# How often a bulk import's rebuild looks again whether every page of it is linked, and
# for how long (a day: the sweep has by then queued the stragglers on their own).
BULK_POLL_SECONDS = 30
BULK_POLLS = 24 * 60 * 60 // BULK_POLL_SECONDS
BULK_QUICK_POLLS = 10


@shared_task(bind=True, **INDEX_RETRY, time_limit=6 * 60 * 60, soft_time_limit=6 * 60 * 60 - 60)
def index_bulk_import(
    self: Task[Any, Any], first_run_id: int, last_run_id: int, update_if_few: bool = False
) -> str:
    """Rebuild the index once for a bulk import's runs, when all of them are linked.

    Until then it looks again every ``BULK_POLL_SECONDS``; a run whose linking is
    queued again by the sweep leaves the bulk and is indexed on its own, so the wait
    ends. Inline (no broker) the runs were linked as they were imported. With
    ``update_if_few`` (``lwn_reparse``) the documents of the runs that still wait (the
    pages that changed) are updated instead when they are few (``bulk_rebuilds``).
    """
    if not bulk_waiting(first_run_id=first_run_id, last_run_id=last_run_id):
        # Done already: a rebuild longer than the broker's visibility timeout is
        # delivered a second time, and must not run twice.
        return f"bulk import {first_run_id}-{last_run_id}: indexed already"
    waiting = bulk_unlinked(first_run_id=first_run_id, last_run_id=last_run_id)
    if waiting and not self.request.is_eager:
        # A few changed pages are linked in seconds: look again soon the first times.
        soon = self.request.retries < BULK_QUICK_POLLS
        countdown = min(BULK_POLL_SECONDS, 1 + waiting) if soon else BULK_POLL_SECONDS
        raise self.retry(countdown=countdown, max_retries=BULK_POLLS)
    if update_if_few and not bulk_rebuilds(first_run_id=first_run_id, last_run_id=last_run_id):
        try:
            return _bulk_index_update(first_run_id, last_run_id)
        except search.SearchUnavailable as exc:
            logger.warning("search index %s: rebuilding it for bulk import", exc.reason)
    report = search.index_rebuild()
    done = bulk_index_done(first_run_id=first_run_id, last_run_id=last_run_id)
    rebuilt = f"{report.documents} documents in {report.seconds:.0f} s" if report else "no rebuild"
    return f"bulk import {first_run_id}-{last_run_id}: {done} imports indexed ({rebuilt})"


def _bulk_index_update(first_run_id: int, last_run_id: int) -> str:
    """Index a bulk import's changed pages as imports are indexed, a batch per commit."""
    runs = documents = 0
    while True:
        with transaction.atomic():
            batch = bulk_index_batch(first_run_id=first_run_id, last_run_id=last_run_id)
            if not batch:
                break
            documents += search.index_documents_for_import(run=batch[0], with_runs=batch[1:])
            followups_done_many(run_ids=[r.pk for r in batch])
        runs += len(batch)
    # Runs whose linking failed are left to the sweep, as after a rebuild.
    bulk_index_done(first_run_id=first_run_id, last_run_id=last_run_id)
    return (
        f"bulk import {first_run_id}-{last_run_id}: {runs} imports indexed "
        f"({documents} documents updated)"
    )


@shared_task(**INDEX_RETRY, time_limit=10 * 60, soft_time_limit=9 * 60)
def index_articles(article_ids: list[int]) -> str:
    """Re-index articles an editor changed in admin, with their comments, items and devices.

    The index keeps each text's paywall state, so an article made subscriber-only
    must be re-indexed before search stops showing its text. Rows gone since are
    dropped from the index. A missing or outdated index gets a rebuild instead.
    """
    try:
        count = search.index_documents_for_articles(article_ids=article_ids)
    except search.SearchUnavailable as exc:
        logger.warning("search index %s: queueing a rebuild for edited articles", exc.reason)
        index_rebuild.delay()
        return f"{len(article_ids)} articles: index {exc.reason}, rebuild queued"
    return f"{len(article_ids)} articles: {count} documents indexed"


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def sweep_imports() -> str:
    """Queue follow-ups a broker outage left pending; mark imports a lost worker left running.

    Periodic (``CELERY_BEAT_SCHEDULE``), so work held back by an outage starts
    at most one sweep interval after the broker is back.
    """
    report = import_followups_sweep()
    return (
        f"follow-ups queued: {report.queued}, still pending: {report.not_queued}, "
        f"interrupted runs closed: {report.interrupted}"
    )
