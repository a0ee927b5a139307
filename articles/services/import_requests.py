"""Imports asked for through the API: one run the caller can poll, from request to result.

The action opens the run in the request (outcome ``running``, ``started_by`` the
caller) and queues a task with its id; the task does the import, which leaves
its own runs (one per page, as every import does), and closes the requested run
with their outcome, counts and edition. The requested run has no follow-ups of
its own (the page runs link and index), so it is closed with them done.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from articles.lwn import PARSER_VERSION
from articles.models import ImportOutcome, ImportRun

logger = logging.getLogger("lwnkb.ingest")


def import_request_open(*, source: str, user: AbstractBaseUser | AnonymousUser) -> ImportRun:
    """Record an import ``user`` asked for, before it is queued."""
    return ImportRun.objects.create(
        source=source[:1000],
        parser_version=PARSER_VERSION,
        started_by_id=user.pk if isinstance(user, AbstractBaseUser) else None,
    )


def _outcome(runs: Sequence[ImportRun]) -> str:
    outcomes = {run.outcome for run in runs}
    if not runs or ImportOutcome.FAILED in outcomes:
        return ImportOutcome.FAILED
    return ImportOutcome.OK if ImportOutcome.OK in outcomes else ImportOutcome.SKIPPED


def import_request_close(*, run_id: int, runs: Sequence[ImportRun]) -> None:
    """Give requested run ``run_id`` the result of the page ``runs`` it caused.

    Failed if any page failed, ok if any was imported, else skipped. Parse warnings
    stay with the page runs (they are rows of those runs), so they are not counted
    twice here.
    """
    counts: Counter[str] = Counter()
    for run in runs:
        counts.update({k: v for k, v in run.counts.items() if k != "warnings"})
    errors = [f"{run.source}: {run.error}" for run in runs if run.error]
    edition_id = next((run.edition_id for run in runs if run.edition_id), None)
    now = timezone.now()
    ImportRun.objects.filter(pk=run_id).update(
        outcome=_outcome(runs),
        finished_at=now,
        counts=dict(sorted(counts.items())),
        error="\n".join(errors)[:10_000] or ("nothing was imported" if not runs else ""),
        edition_id=edition_id,
        raw_page_id=runs[0].raw_page_id if len(runs) == 1 else None,
        followups_queued_at=now,
        followups_done_at=now,
        updated_at=now,
    )


def import_request_fail(*, run_id: int, error: str) -> None:
    """Close requested run ``run_id`` as failed, if it is still running."""
    closed = ImportRun.objects.filter(pk=run_id, outcome=ImportOutcome.RUNNING).update(
        outcome=ImportOutcome.FAILED,
        finished_at=(now := timezone.now()),
        error=error[:10_000],
        updated_at=now,
    )
    if closed:
        logger.warning("requested import %s failed: %s", run_id, error)
