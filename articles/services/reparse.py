"""Re-parse stored pages in order, with the parsing spread over worker processes.

Once a page that parses to what is stored writes nothing, parsing is most of a
reparse, and it is pure CPU in one process. ``parsers`` worker processes parse
the next pages while this process stores the current one. Pages are stored one
at a time in the order given (``lwn_reparse`` gives primary-key order, the order
they were first imported in), so pages that write the same rows leave them as
importing them in that order does, each in its own transaction.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from django.db.models import QuerySet

from articles.models import ImportRun, RawPage
from articles.services.ingest import raw_page_reparse
from articles.services.parse_detached import PreparedPage, page_prepare_detached

# Pages parsed ahead per worker process: enough that a worker never waits for the
# store, few enough that memory does not depend on the archive (a parsed edition is
# a few MB).
AHEAD_PER_PARSER = 2
# Raw pages read per query.
CHUNK = 20


def raw_pages_reparse(
    *, pages: QuerySet[RawPage], index_deferred: bool = False, parsers: int = 1
) -> Iterator[tuple[RawPage, ImportRun]]:
    """Re-parse and store ``pages`` in their order; yield each page with its run.

    With ``parsers`` above 1 that many processes parse (``page_prepare_detached``)
    and this one stores; with 1 everything happens here.
    """
    # Whole rows: the store reads the page's id and date too, and a deferred column
    # would cost a query per page.
    rows = pages.iterator(chunk_size=CHUNK)
    if parsers <= 1:
        for raw in rows:
            yield raw, raw_page_reparse(raw=raw, index_deferred=index_deferred)
        return
    yield from _pooled(rows, index_deferred=index_deferred, parsers=parsers)


def _pooled(
    rows: Iterable[RawPage], *, index_deferred: bool, parsers: int
) -> Iterator[tuple[RawPage, ImportRun]]:
    # "spawn": forking a process that holds a database connection and a thread pool
    # can hand the child a copied lock or socket.
    context = multiprocessing.get_context("spawn")
    window: deque[tuple[RawPage, Future[PreparedPage]]] = deque()
    with ProcessPoolExecutor(max_workers=parsers, mp_context=context) as pool:
        for raw in rows:
            window.append(
                (raw, pool.submit(page_prepare_detached, bytes(raw.content_gz), raw.url or None))
            )
            raw.content_gz = b""  # the bytes are the worker's now
            if len(window) > parsers * AHEAD_PER_PARSER:
                yield _store(*window.popleft(), index_deferred=index_deferred)
        while window:
            yield _store(*window.popleft(), index_deferred=index_deferred)


def _store(
    raw: RawPage, parsed: Future[PreparedPage], *, index_deferred: bool
) -> tuple[RawPage, ImportRun]:
    run = raw_page_reparse(raw=raw, index_deferred=index_deferred, prepared=parsed.result())
    return raw, run
