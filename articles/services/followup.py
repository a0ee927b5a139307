"""What happens after an import commits, as one explicit sequence.

import → store (``ingest``) → link entities → update the search index.
``import_committed`` queues ``import_followups`` as a task, so a web request
or a CLI import does not wait for it (inline when no broker is configured).

A bulk import (``lwn_import`` of a large folder, ``lwn_reparse --all``) marks its
runs ``index_deferred``: each is linked on its own, and one task
(``bulk_index_queue``) rebuilds the index once all of them are linked, because
whoosh indexes a page a commit several times slower than a rebuild does and
the gap widens as the index grows.

Nothing is lost when the broker is away. The broker is not the only record
of pending work: an "ok" ImportRun whose ``followups_done_at`` is empty still
needs its follow-ups (an outbox in the database, committed with the import).
A failed enqueue is logged and leaves the run pending instead of failing the
import that has already committed; ``import_followups_sweep`` (the periodic
``sweep_imports`` task) queues pending runs again once the broker answers.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from articles.models import ImportOutcome, ImportRun, RawPage
from articles.services.enqueue import BROKER_ERRORS, task_enqueue
from articles.services.linking import entities_link_for_import
from articles.services.sql.plain import object_update

logger = logging.getLogger("lwnkb.ingest")

# A committed run that was never queued (broker down at commit, or the process died
# just after it) is queued by the sweep once it is this old; younger ones may still
# be on their way from ``transaction.on_commit``.
QUEUE_GRACE = dt.timedelta(minutes=2)
# A queued run not done after this long lost its message (e.g. a broker restarted
# without persistence). Longer than the follow-up tasks with all their retries take.
REQUEUE_AFTER = dt.timedelta(hours=6)
# A run whose follow-ups were queued this many times over and still did not finish has
# a follow-up that fails, not a lost message: the sweep stops (about a day of attempts)
# and the run waits in admin for "Queue follow-ups again" once the cause is fixed.
MAX_REQUEUES = 4
# An import still "running" after this long was interrupted (its worker was killed,
# the machine rebooted); import tasks are stopped after 15 minutes.
INTERRUPTED_AFTER = dt.timedelta(hours=1)
# Bounded work per sweep; the next sweep takes the rest.
SWEEP_LIMIT = 500
# Imports indexed together in one index commit. A whoosh commit costs a fixed few
# tenths of a second (a new segment, a merge) whatever it holds, so a bulk import
# indexed one page per commit spends most of its time committing.
INDEX_BATCH = 50
# A bulk import is indexed by one rebuild when it brings at least this many pages and at
# least half as many as the archive held: a rebuild indexes a page about three times
# faster than a commit of a few pages does, but it indexes the whole archive again.
BULK_MIN_PAGES = 200


def index_once(*, pages: int, stored: int) -> bool:
    """Whether importing ``pages`` pages into an archive of ``stored`` pages should index
    them with one rebuild at the end rather than page by page."""
    return pages >= BULK_MIN_PAGES and 2 * pages >= stored


# The key of ``ImportRun.counts`` that says linking has run (its value: mentions made).
LINKED = "mentions_linked"


def import_committed(*, run_id: int) -> None:
    """Queue the follow-up work of a committed import; a broker outage leaves it pending.

    The import wrote ``followups_queued_at`` in its own transaction, which saves
    every import a write and a commit of its own here. When the broker refuses
    the message, the mark is taken back so the sweep queues the run after
    ``QUEUE_GRACE``; had the process died between the commit and this call, the
    sweep still finds the run after ``REQUEUE_AFTER``.
    """
    if not _publish(run_id):
        followups_pending(run_id=run_id)


def followups_queue(*, run_id: int, again: bool = False) -> bool:
    """Queue ``after_import`` for run ``run_id``; False (logged) when the broker is away.

    ``again``: the follow-ups were queued before and never finished; counted, so a
    follow-up that always fails is not queued for ever.
    """
    if again:
        # The bulk's rebuild may be what got lost: this run is indexed on its own now
        # (before publishing: inline, the follow-ups run within ``_publish``).
        ImportRun.objects.filter(pk=run_id, index_deferred=True).update(index_deferred=False)
    if not _publish(run_id):
        return False
    if again:
        ImportRun.objects.filter(pk=run_id).update(followups_requeued=F("followups_requeued") + 1)
    # Inline (no broker) they have already run and finished: nothing to record.
    ImportRun.objects.filter(pk=run_id, followups_done_at__isnull=True).update(
        followups_queued_at=timezone.now()
    )
    return True


def _publish(run_id: int) -> bool:
    try:
        task_enqueue("articles.tasks.after_import", run_id)
    except BROKER_ERRORS as exc:
        logger.warning(
            "import %s: follow-ups not queued (broker unavailable: %s); the sweep queues them",
            run_id,
            exc,
        )
        return False
    return True


def followups_pending(*, run_id: int) -> None:
    """Mark run ``run_id``'s follow-ups as not queued, for the next sweep to queue them."""
    ImportRun.objects.filter(pk=run_id).update(followups_queued_at=None)


def followups_done(*, run_id: int) -> None:
    """Record that run ``run_id`` is linked and indexed (or its index rebuild is queued)."""
    followups_done_many(run_ids=[run_id])


def import_followups(*, run_id: int) -> None:
    """Link entities in what import ``run_id`` touched, then refresh the search index."""
    # No related rows: linking needs their ids only, and the raw page is the page's bytes.
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.outcome != "ok":
        return
    logger.debug("follow-ups for import %s", run_id)
    linked = entities_link_for_import(run=run)
    # Recorded, so an index batch may take this run along (``index_batch``).
    run.counts = {**run.counts, LINKED: linked.get("mentions_created", 0)}
    object_update(run, ["counts"])
    if run.index_deferred:
        return  # the bulk import's rebuild indexes it (``bulk_index_queue``)
    # Last, so the index records the mentions linking just wrote. On its own queue
    # ("index"), because only one index writer runs at a time.
    try:
        task_enqueue("articles.tasks.index_import", run.pk)
    except BROKER_ERRORS as exc:
        # Linking is idempotent: the sweep runs both steps again.
        logger.warning("import %s: indexing not queued (%s); the sweep queues it", run_id, exc)
        followups_pending(run_id=run_id)


def index_batch(*, run_id: int, limit: int = INDEX_BATCH) -> list[ImportRun]:
    """Run ``run_id`` and up to ``limit - 1`` other imports linked and waiting for their
    index, oldest first, to index in one commit; empty when another batch holds it.

    Call inside a transaction: the runs stay locked until it ends, and runs another
    batch holds are skipped. The others' own index tasks then find them done.
    """
    # The raw page for its LWN id (``batches``), without its bytes.
    locked = ImportRun.objects.select_for_update(skip_locked=True, of=("self",)).defer(
        "raw_page__content_gz"
    )
    run = locked.select_related("raw_page").filter(pk=run_id).first()
    if run is None:
        return []
    others = (
        locked.filter(
            outcome=ImportOutcome.OK, followups_done_at__isnull=True, counts__has_key=LINKED
        )
        .exclude(pk=run_id)
        .select_related("raw_page")
        .order_by("pk")[: max(0, limit - 1)]
    )
    return [run, *others]


def followups_done_many(*, run_ids: list[int]) -> None:
    """:func:`followups_done` for several runs at once.

    Earlier runs of the same pages whose follow-ups never finished (the sweep gave up
    on them) are done too: these runs linked and indexed what those stored.
    """
    now = timezone.now()
    ImportRun.objects.filter(pk__in=run_ids).update(followups_done_at=now)
    later = ImportRun.objects.filter(
        pk__in=run_ids, raw_page_id=OuterRef("raw_page_id"), pk__gt=OuterRef("pk")
    )
    # By the raw page index from these runs' pages: without it PostgreSQL scanned every
    # import run for each run finished (9 ms at scale 0.1, 0.2 ms with it).
    pages = ImportRun.objects.filter(pk__in=run_ids).values("raw_page_id")
    ImportRun.objects.filter(
        Exists(later),
        raw_page_id__in=pages,
        outcome=ImportOutcome.OK,
        followups_done_at__isnull=True,
    ).update(followups_done_at=now)


def followups_owed(*, raw: RawPage) -> bool:
    """Whether an earlier import of page ``raw`` stored rows it never linked and indexed.

    A page that parses to what is stored needs no follow-ups of its own, unless the
    import that stored it never finished them (it ran out of requeues): then this
    import runs them (see ``followups_done_many``).
    """
    return ImportRun.objects.filter(
        raw_page=raw, outcome=ImportOutcome.OK, followups_done_at__isnull=True
    ).exists()


def bulk_index_queue(*, first_run_id: int, last_run_id: int, update_if_few: bool = False) -> bool:
    """Queue the one index rebuild of a bulk import whose runs are ``first_run_id`` to
    ``last_run_id``; it waits until they are linked. False (logged) when the broker is away:
    the sweep then indexes the runs one by one after ``REQUEUE_AFTER``.

    With ``update_if_few`` (a reparse, whose unchanged pages need nothing) the task
    updates the documents of the runs still waiting instead, unless they are many
    against the archive (``bulk_rebuilds``).
    """
    try:
        task_enqueue("articles.tasks.index_bulk_import", first_run_id, last_run_id, update_if_few)
    except BROKER_ERRORS as exc:
        logger.warning(
            "bulk import %s-%s: index rebuild not queued (broker unavailable: %s); the "
            "sweep indexes its imports one by one",
            first_run_id,
            last_run_id,
            exc,
        )
        ImportRun.objects.filter(
            pk__range=(first_run_id, last_run_id), followups_done_at__isnull=True
        ).update(index_deferred=False)
        return False
    return True


def _bulk_runs(first_run_id: int, last_run_id: int) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(
        pk__range=(first_run_id, last_run_id),
        outcome=ImportOutcome.OK,
        index_deferred=True,
        followups_done_at__isnull=True,
    )


def bulk_waiting(*, first_run_id: int, last_run_id: int) -> bool:
    """Whether any of the bulk import's runs still waits for the rebuild."""
    return _bulk_runs(first_run_id, last_run_id).exists()


def bulk_unlinked(*, first_run_id: int, last_run_id: int) -> int:
    """How many of the bulk import's runs still wait for their linking."""
    return _bulk_runs(first_run_id, last_run_id).exclude(counts__has_key=LINKED).count()


def bulk_rebuilds(*, first_run_id: int, last_run_id: int) -> bool:
    """Whether the bulk import's waiting runs are indexed best by one rebuild (``index_once``).

    Its runs that changed nothing are done already and not counted: a reparse that
    changed a few pages updates their documents instead of indexing the archive again.
    """
    waiting = _bulk_runs(first_run_id, last_run_id).count()
    return index_once(pages=waiting, stored=RawPage.objects.count())


def bulk_index_batch(
    *, first_run_id: int, last_run_id: int, limit: int = INDEX_BATCH
) -> list[ImportRun]:
    """Up to ``limit`` of the bulk import's linked runs waiting for their index, oldest first,
    locked until the caller's transaction ends (runs another writer holds are skipped).
    """
    locked = ImportRun.objects.select_for_update(skip_locked=True, of=("self",))
    return list(
        locked.filter(pk__in=_bulk_runs(first_run_id, last_run_id).values("pk"))
        .filter(counts__has_key=LINKED)
        .select_related("raw_page")
        .defer("raw_page__content_gz")  # as ``index_batch``
        .order_by("pk")[:limit]
    )


def bulk_index_done(*, first_run_id: int, last_run_id: int) -> int:
    """After the rebuild: mark the linked runs done, and let the sweep index the others
    (their linking failed or has not run) one by one. Returns the runs marked done.
    """
    runs = _bulk_runs(first_run_id, last_run_id)
    runs.exclude(counts__has_key=LINKED).update(index_deferred=False)
    return runs.filter(counts__has_key=LINKED).update(followups_done_at=timezone.now())


@dataclass(frozen=True, slots=True)
class SweepReport:
    queued: int
    not_queued: int
    interrupted: int


def import_followups_sweep(
    *,
    now: dt.datetime | None = None,
    grace: dt.timedelta = QUEUE_GRACE,
    requeue_after: dt.timedelta = REQUEUE_AFTER,
    interrupted_after: dt.timedelta = INTERRUPTED_AFTER,
) -> SweepReport:
    """Queue the follow-ups that were never queued or got lost; close interrupted runs.

    Safe to run at any time and from several places: the follow-ups are
    idempotent, so a run queued twice is linked and indexed twice, no more.
    """
    now = now or timezone.now()
    interrupted = ImportRun.objects.filter(
        outcome=ImportOutcome.RUNNING, started_at__lt=now - interrupted_after
    ).update(
        outcome=ImportOutcome.FAILED,
        finished_at=now,
        error="interrupted: the import stopped before it finished (worker or process lost)",
        updated_at=now,
    )
    pending = (
        ImportRun.objects.filter(outcome=ImportOutcome.OK, followups_done_at__isnull=True)
        .filter(
            # Never queued (the broker was away): no attempt was made, so no limit.
            Q(followups_queued_at__isnull=True, finished_at__lt=now - grace)
            | Q(
                followups_queued_at__lt=now - requeue_after,
                followups_requeued__lt=MAX_REQUEUES,
            )
        )
        .order_by("pk")
        .values_list("pk", "followups_queued_at", "followups_requeued")[:SWEEP_LIMIT]
    )
    runs = list(pending)
    queued = 0
    for run_id, queued_at, requeued in runs:
        again = queued_at is not None
        if not followups_queue(run_id=run_id, again=again):
            break  # the broker is still away: the next sweep tries again
        queued += 1
        if again and requeued + 1 >= MAX_REQUEUES:
            logger.error(
                "import %s: follow-ups queued for the last time (%d times over); if they "
                'fail again, fix the cause and use admin\'s "Queue follow-ups again"',
                run_id,
                requeued + 1,
            )
    if runs or interrupted:
        logger.info(
            "import sweep: %d follow-ups queued, %d not, %d interrupted runs closed",
            queued,
            len(runs) - queued,
            interrupted,
        )
    return SweepReport(queued=queued, not_queued=len(runs) - queued, interrupted=interrupted)
