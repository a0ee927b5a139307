"""The write side of the facade: what imports, tasks, commands and the bench call."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings

from articles.models import ImportRun
from articles.search import index
from articles.search.documents import IndexDocument
from articles.search.errors import SearchUnavailable
from articles.search.feed import CHUNK_SIZE, Feed, feed_all, feed_articles, feed_import
from articles.search.index import RebuildReport
from articles.search.pg.columns import search_columns_ensure
from articles.search.pg.search import check_database
from articles.search.pg.status import pg_status
from articles.search.schema import SCHEMA_VERSION

logger = logging.getLogger("lwnkb.search")


def _lock_timeout(timeout: float | None) -> float:
    return settings.SEARCH_LOCK_TIMEOUT if timeout is None else timeout


def _tables_are_the_index() -> bool:
    """With the postgres backend an import's own transaction updates what searches read
    (generated columns, ``pg.columns``): there is nothing to index, rebuild or lock."""
    return bool(settings.SEARCH_BACKEND == "postgres")


def _feed_update(label: str, feed: Feed, *, timeout: float | None) -> int:
    if not feed.delete_terms and not any(feed.counts.values()):
        return 0  # nothing to write: do not take the lock for an empty commit
    count = index.update(
        documents=(doc for chunk in feed.chunks for doc in chunk),
        delete_terms=feed.delete_terms,
        create_missing=False,
        timeout=_lock_timeout(timeout),
    )
    logger.info("search index: %s, %d documents updated", label, count)
    return count


def index_documents_for_import(*, run: ImportRun, timeout: float | None = None) -> int:
    """Re-index what import ``run`` touched; documents of rows gone since are deleted.

    Returns how many documents were written. Raises IndexBusy when another
    writer holds the index past ``timeout`` (the task retries), and
    SearchUnavailable when the index must be rebuilt first (the task queues it).
    With the postgres backend: 0, the import already updated the tables.
    """
    if _tables_are_the_index():
        return 0
    return _feed_update(f"import {run.pk}", feed_import(run), timeout=timeout)


def index_documents_for_articles(
    *, article_ids: Iterable[int], timeout: float | None = None
) -> int:
    """Re-index these articles with their comments, items and devices (after curation).

    With the postgres backend: 0, nothing to do.
    """
    if _tables_are_the_index():
        return 0
    ids = set(article_ids)
    return _feed_update(f"{len(ids)} articles", feed_articles(article_ids=ids), timeout=timeout)


def index_add_documents(documents: Iterable[IndexDocument], *, timeout: float | None = None) -> int:
    """Add or replace plain documents (no database needed), creating the index if missing.

    Whoosh only: the postgres backend searches stored rows, so it raises
    SearchUnavailable (reason "disabled").
    """
    if _tables_are_the_index():
        raise SearchUnavailable(
            "The postgres search backend searches the tables; store rows instead of "
            "adding index documents.",
            reason="disabled",
        )
    return index.update(documents=documents, create_missing=True, timeout=_lock_timeout(timeout))


def _chunks_of(documents: Iterable[IndexDocument], size: int) -> Iterator[list[IndexDocument]]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk


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
    if _tables_are_the_index():
        check_database()
        search_columns_ensure()
        logger.info("search index: postgres backend, the tables are the index; nothing to rebuild")
        return None

    def chunks() -> Iterable[list[IndexDocument]]:
        if documents is not None:
            return _chunks_of(documents, chunk_size)
        return feed_all(size=chunk_size).chunks

    return index.rebuild(
        chunks=chunks,
        timeout=_lock_timeout(timeout),
        if_needed=if_needed,
        on_chunk=on_chunk,
        procs=procs,
    )


def index_document_counts() -> dict[str, int]:
    """How many documents of each type a rebuild from the database writes."""
    return feed_all().counts


@dataclass(frozen=True, slots=True)
class IndexStatus:
    state: str  # ok, missing, outdated, corrupt; disabled (postgres backend, no PostgreSQL)
    message: str
    documents: int | None
    path: Path | None
    schema_version: int = SCHEMA_VERSION

    @property
    def needs_rebuild(self) -> bool:
        return self.state != "ok"


def index_status() -> IndexStatus:
    """Whether searches can run, and how many documents the current index holds.

    With the postgres backend: the documents in the tables, "missing" while the
    full-text columns are (``manage.py migrate`` adds them), and "disabled" on a
    database that is not PostgreSQL.
    """
    if _tables_are_the_index():
        try:
            state, message, documents = pg_status()
        except SearchUnavailable as exc:
            return IndexStatus(exc.reason, exc.message, None, None)
        return IndexStatus(state, message, documents, None)
    root = index.index_root()
    try:
        ix = index.open_index(root)
        try:
            documents = ix.doc_count()
        finally:
            ix.close()
    except SearchUnavailable as exc:
        return IndexStatus(exc.reason, exc.message, None, None)
    except index.DAMAGE:
        return IndexStatus("corrupt", index.MESSAGES["corrupt"], None, None)
    return IndexStatus("ok", "", documents, index.current_generation(root))
