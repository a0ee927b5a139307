"""Import pages: keep the raw page, parse, store atomically, audit.

``page_import`` is the one write path for every source (files, folders,
lwn.net, Celery tasks, ``lwn_reparse``). Each call leaves an ``ImportRun``
whose outcome is ``ok``, ``skipped`` (same bytes already imported by this
parser version) or ``failed`` (with a message; nothing but the raw page and
the run itself is written). An ``ok`` run keeps the parser's warnings
(``ImportWarning`` rows, their total in ``counts["warnings"]``). An ``ok`` run
whose page changed no row (it parses to what is stored) says so in
``counts["unchanged"]`` and needs no follow-ups.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from articles.lwn import PARSER_VERSION, LWNParseError, ParseWarning
from articles.lwn.dom import url_article_id
from articles.models import ImportOutcome, ImportRun, RawPage
from articles.models.imports import WHERE_MAX_LENGTH, ImportWarning
from articles.services.followup import followups_owed, import_committed
from articles.services.parse_detached import PreparedPage
from articles.services.parse_limits import Deadline, page_prepare_limited, statement_deadline
from articles.services.raw_pages import raw_page_store
from articles.services.sql.plain import object_insert, object_update
from articles.services.sql.retry import atomic_retried
from articles.services.sql.writes import rows_written
from articles.services.store import StoreError, page_store

logger = logging.getLogger("lwnkb.ingest")
# How the error of a run whose page the parser refused begins (the page is the problem,
# not lwnkb or the network): ``lwn_import`` exits 2 for those, as for any bad source.
REFUSED = "not a usable LWN page:"

# Warnings kept per run: a damaged page can repeat one warning for each of thousands
# of comments, and the first ones say what is wrong; counts["warnings"] keeps the total.
MAX_WARNINGS_KEPT = 1000
# The key of ``ImportRun.counts`` of an "ok" run whose page changed no row: it parses
# to exactly what was stored (a reparse after a parser change that did not touch it).
UNCHANGED = "unchanged"


def _already_imported(raw: RawPage) -> bool:
    """The same bytes were stored before by this parser version."""
    return ImportRun.objects.filter(
        raw_page=raw, outcome=ImportOutcome.OK, parser_version=PARSER_VERSION
    ).exists()


def _flush_with_next_commit() -> None:
    """Let the current transaction's commit return without waiting for its WAL flush.

    For the record an import opens before parsing: the import's own next commit
    (its outcome, whichever it is) waits for the flush, and PostgreSQL's WAL is
    flushed in order, so that commit makes this one durable too. Only a server
    crash in between could lose it, and then the import itself has failed with
    an error to its caller. Saves one disk flush per import.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _finish(run: ImportRun, outcome: str, **fields: object) -> ImportRun:
    run.outcome = outcome
    run.finished_at = timezone.now()
    for key, value in fields.items():
        setattr(run, key, value)
    object_update(run, ["outcome", "finished_at", *fields, "updated_at"])
    return run


def page_import(
    *,
    data: bytes,
    source: str,
    url: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    index_deferred: bool = False,
    stored: RawPage | None = None,
    prepared: PreparedPage | None = None,
) -> ImportRun:
    """Import one page and return its audit record.

    ``force`` re-stores a page even when the same bytes were imported before
    (``lwn_reparse`` uses it after a parser upgrade). With ``dry_run`` the
    page is parsed and stored inside a transaction that is rolled back, and
    the returned run (never saved) says what would have changed. With
    ``index_deferred`` the page is linked but left for the bulk import's one
    index rebuild (``followup.bulk_index_queue``). ``stored`` is the raw page
    ``data`` was read from (a reparse): it is not stored again. ``prepared`` is
    the page already parsed from it in another process (``services.reparse``).
    """
    if dry_run:
        with transaction.atomic():
            run = page_import(data=data, source=source, url=url, force=True)
            transaction.set_rollback(True)
        run.pk = None
        return run

    # One budget for the whole import (LWNKB_PARSE_TIME_LIMIT): parse, sanitise, store.
    deadline = Deadline.from_settings() if prepared is None else prepared.deadline()
    # One commit keeps the page and opens its audit record, before any parsing, so
    # a page that fails later (or a crash) still leaves both behind.
    # Not inside a caller's transaction: the setting would cover its commit too.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            _flush_with_next_commit()
        # The parser takes a page's id from its address too, so the raw page is
        # labelled now and rarely needs the update after parsing.
        if stored is None:
            raw, new_bytes = raw_page_store(
                data=data, url=url or "", lwn_id=url_article_id(url) if url else None
            )
        else:
            raw, new_bytes = stored, False
        run = ImportRun(
            source=source[:1000],
            raw_page=raw,
            parser_version=PARSER_VERSION,
            index_deferred=index_deferred,
        )
        object_insert(run)
    if not force and not new_bytes and _already_imported(raw):
        logger.info("import %s: unchanged since the last import, skipped", source)
        return _finish(run, ImportOutcome.SKIPPED, edition=raw.editions.first())

    try:
        return _parse_and_store(
            run=run,
            raw=raw,
            data=data,
            source=source,
            url=url,
            deadline=deadline,
            prepared=prepared,
        )
    except BaseException as exc:
        # A soft time limit, Ctrl-C, a bug: close the run now rather than leave it
        # "running" until the sweep finds it an hour later.
        _interrupted(run, exc)
        raise


def _interrupted(run: ImportRun, exc: BaseException) -> None:
    reason = " ".join(str(exc).split())[:200]
    try:
        _finish(
            run,
            ImportOutcome.FAILED,
            error=f"interrupted: {type(exc).__name__}{': ' + reason if reason else ''}",
        )
    except DatabaseError:
        logger.warning("import %s: could not close its interrupted run", run.pk)


def _parse_and_store(
    *,
    run: ImportRun,
    raw: RawPage,
    data: bytes,
    source: str,
    url: str | None,
    deadline: Deadline,
    prepared: PreparedPage | None,
) -> ImportRun:
    try:
        if prepared is None:
            # Size, depth and time limits: hostile pages. The page comes back sanitised.
            page = page_prepare_limited(data, url=url, deadline=deadline)
        elif prepared.page is None:
            raise LWNParseError(prepared.error)
        else:
            page = prepared.page
    except LWNParseError as exc:
        logger.warning("import %s failed to parse: %s", source, exc)
        return _finish(run, ImportOutcome.FAILED, error=f"{REFUSED} {exc}")

    def store() -> tuple[dict[str, int], bool]:
        # The deadline is checked between steps and, on PostgreSQL, bounds each
        # statement too (a lock wait is one statement): the same limit, hard.
        with statement_deadline(deadline):
            with rows_written() as writes:
                counts, edition = page_store(page=page, raw=raw, deadline=deadline)
                if page.lwn_id is not None and raw.lwn_id != page.lwn_id:
                    # The parser's id wins (a subscription page names the article it guards).
                    RawPage.objects.filter(pk=raw.pk).update(lwn_id=page.lwn_id)
            counts_dict = {k: v for k, v in sorted(counts.items()) if v}
            settled = not writes.statements
            if settled:
                counts_dict[UNCHANGED] = 1
                # Nothing to link or index, unless the import that stored these rows
                # never did: then this one does it for both.
                settled = not followups_owed(raw=raw)
            if page.warnings:
                counts_dict["warnings"] = len(page.warnings)
                _warnings_store(run, page.warnings)
            now = timezone.now()
            # "ok" commits together with the rows it describes: never one without the other.
            # A page that changed no row changed no link and no search document either:
            # its follow-ups are done as it commits.
            _finish(
                run,
                ImportOutcome.OK,
                counts=counts_dict,
                edition=edition,
                followups_queued_at=None if settled else now,  # see followup.import_committed
                followups_done_at=now if settled else None,
            )
        return counts_dict, settled

    try:
        counts_dict, settled = atomic_retried(store, what=f"import {source}")
    except (StoreError, DatabaseError, ValueError) as exc:
        logger.exception("import %s failed to store", source)
        # The rolled-back "ok" left its values on ``run``: overwrite all of them.
        return _finish(
            run,
            ImportOutcome.FAILED,
            error=f"could not store the page: {exc}",
            counts={},
            edition=None,
            followups_queued_at=None,
            followups_done_at=None,
        )

    logger.info("import %s: %s", source, counts_dict or "no changes")
    if settled:
        return run
    # Linking and indexing read what this import wrote, so they start after commit.
    transaction.on_commit(lambda: import_committed(run_id=run.pk))
    return run


def _warnings_store(run: ImportRun, warnings: Sequence[ParseWarning]) -> None:
    """Keep the parser's warnings with the run, in the transaction that writes its outcome."""
    ImportWarning.objects.bulk_create(
        ImportWarning(run=run, code=w.code, where=w.where[:WHERE_MAX_LENGTH], message=w.message)
        for w in warnings[:MAX_WARNINGS_KEPT]
    )


def fetch_failure_record(*, source: str, error: str) -> ImportRun:
    """Audit an import that failed before any page arrived (404, refused address…)."""
    run = ImportRun.objects.create(source=source[:1000], parser_version=PARSER_VERSION)
    logger.warning("import %s failed: %s", source, error)
    return _finish(run, ImportOutcome.FAILED, error=error)


def raw_page_reparse(
    *, raw: RawPage, index_deferred: bool = False, prepared: PreparedPage | None = None
) -> ImportRun:
    """Re-parse a stored page with the current parser, without the network.

    ``prepared``: the page parsed already (``page_prepare_detached``).
    """
    return page_import(
        data=raw.content if prepared is None else b"",
        source=f"reparse of raw page {raw.pk}",
        url=raw.url or None,
        force=True,
        index_deferred=index_deferred,
        stored=raw,
        prepared=prepared,
    )
