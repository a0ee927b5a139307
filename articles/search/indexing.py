"""The write side of the facade: what imports, tasks, commands and the bench call.

Each function resolves its defaults and hands the work to the configured engine
(``backend.get_backend``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from articles.models import ImportRun
from articles.search.backend import get_backend
from articles.search.documents import CHUNK_SIZE, IndexDocument
from articles.search.errors import SearchError
from articles.search.pg.ddl import search_columns_drop, search_columns_present
from articles.search.results import IndexSetup, IndexStatus, RebuildReport


def _lock_timeout(timeout: float | None) -> float:
    return settings.SEARCH_LOCK_TIMEOUT if timeout is None else timeout


def index_documents_for_import(
    *, run: ImportRun, timeout: float | None = None, with_runs: Sequence[ImportRun] = ()
) -> int:
    """Re-index what import ``run`` (and ``with_runs``) touched, in one commit; documents
    of rows gone since are deleted.

    Returns how many documents were written. Raises IndexBusy when another
    writer holds the index past ``timeout`` (the task retries), and
    SearchUnavailable when the index must be rebuilt first (the task queues it).
    With the postgres backend: 0, the import already updated the tables.
    """
    runs = [run, *(r for r in with_runs if r.pk != run.pk)]
    return get_backend().index_for_import(runs=runs, timeout=_lock_timeout(timeout))


def index_documents_for_articles(
    *, article_ids: Iterable[int], timeout: float | None = None
) -> int:
    """Re-index these articles with their comments, items and devices (after curation).

    With the postgres backend: 0, nothing to do.
    """
    return get_backend().index_for_articles(
        article_ids=set(article_ids), timeout=_lock_timeout(timeout)
    )


def index_add_documents(documents: Iterable[IndexDocument], *, timeout: float | None = None) -> int:
    """Add or replace plain documents (no database needed), creating the index if missing.

    Whoosh only: the postgres backend searches stored rows, so it raises
    SearchUnavailable (reason "disabled").
    """
    return get_backend().add_documents(documents, timeout=_lock_timeout(timeout))


def index_rebuild(
    *,
    if_needed: bool = False,
    documents: Iterable[IndexDocument] | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
    timeout: float | None = None,
    procs: int | None = None,
) -> RebuildReport | None:
    """Rebuild the index into a new folder and swap it in; None when ``if_needed`` skips.

    Indexes the whole archive from the database in chunks of ``chunk_size``
    rows, or ``documents`` when given (the benchmark). With ``if_needed`` it
    only rebuilds when the index is missing, damaged or of another schema
    version. ``on_chunk`` is called with the size of each chunk indexed.

    With the postgres backend there is nothing to rebuild (the tables are the
    index): it adds the full-text columns if they are missing, and returns None,
    like a skipped rebuild.
    """
    return get_backend().rebuild(
        if_needed=if_needed,
        documents=documents,
        chunk_size=chunk_size,
        on_chunk=on_chunk,
        timeout=_lock_timeout(timeout),
        procs=procs,
    )


def index_document_counts() -> dict[str, int]:
    """How many documents of each type a rebuild from the database writes."""
    return get_backend().document_counts()


def index_status() -> IndexStatus:
    """Whether searches can run, and how many documents the current index holds.

    With the postgres backend: the documents in the tables, "missing" while the
    full-text columns are (``manage.py migrate`` adds them), and "disabled" on a
    database that is not PostgreSQL.
    """
    return get_backend().status()


def index_setup_pending() -> IndexSetup | None:
    """A one-off step the engine needs before it can search (``lwn_reindex`` takes it)."""
    return get_backend().setup_pending()


def index_setup() -> None:
    """Take the step ``index_setup_pending`` names (the postgres backend's columns)."""
    get_backend().setup()


def index_on_migrate(
    sender: Any,
    *,
    using: str = DEFAULT_DB_ALIAS,
    verbosity: int = 1,
    stdout: TextIO | None = None,
    **kwargs: Any,
) -> None:
    """post_migrate: the engine's part of ``migrate`` (the postgres backend adds its columns).

    So switching ``LWNKB_SEARCH_BACKEND`` to postgres and running ``migrate`` is the
    whole switch.
    """
    get_backend().on_migrate(using=using, verbosity=verbosity, stdout=stdout)


def postgres_columns_drop(*, dry_run: bool = False) -> bool:
    """Drop the postgres backend's full-text columns, so imports stop computing them.

    For a deployment switched back to whoosh. True when there were columns to drop
    (with ``dry_run``: there are, and nothing is dropped). Raises SearchError while
    the postgres backend is configured: it searches them.
    """
    if get_backend().name == "postgres":
        raise SearchError(
            "the postgres search backend searches these columns: "
            "set LWNKB_SEARCH_BACKEND=whoosh first"
        )
    return search_columns_present() if dry_run else search_columns_drop()
