"""The whoosh engine behind the facade's ``Backend`` protocol.

An index folder (``settings.INDEX_DIR``) kept in step with the tables by the
index tasks: each write takes the write lock, a rebuild fills a new generation
from the database in chunks and swaps it in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TextIO

from articles.models import ImportRun
from articles.search.documents import IndexDocument
from articles.search.errors import SearchUnavailable
from articles.search.results import (
    IndexSetup,
    IndexStatus,
    RebuildReport,
)
from articles.search.whoosh import index
from articles.search.whoosh.batches import Batches, all_batches, article_batches, import_batches
from articles.search.whoosh.schema import SCHEMA_VERSION
from articles.search.whoosh.searcher import whoosh_search

logger = logging.getLogger("lwnkb.search")


def _update(label: str, batches: Batches, *, timeout: float) -> int:
    if not batches.delete_terms and not any(batches.counts.values()):
        return 0  # nothing to write: do not take the lock for an empty commit
    count = index.update(
        documents=(doc for chunk in batches.chunks for doc in chunk),
        delete_terms=batches.delete_terms,
        create_missing=False,
        timeout=timeout,
    )
    logger.info("search index: %s, %d documents updated", label, count)
    return count


def _chunks_of(documents: Iterable[IndexDocument], size: int) -> Iterator[list[IndexDocument]]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk


class WhooshBackend:
    name = "whoosh"

    # The engine's search function already takes the protocol's arguments.
    search = staticmethod(whoosh_search)

    def index_for_import(self, *, runs: Sequence[ImportRun], timeout: float) -> int:
        label = f"import {runs[0].pk}" + (f" and {len(runs) - 1} more" if len(runs) > 1 else "")
        return _update(label, import_batches(runs), timeout=timeout)

    def index_for_articles(self, *, article_ids: set[int], timeout: float) -> int:
        batches = article_batches(article_ids=article_ids)
        return _update(f"{len(article_ids)} articles", batches, timeout=timeout)

    def add_documents(self, documents: Iterable[IndexDocument], *, timeout: float) -> int:
        return index.update(documents=documents, create_missing=True, timeout=timeout)

    def rebuild(
        self,
        *,
        if_needed: bool,
        documents: Iterable[IndexDocument] | None,
        chunk_size: int,
        on_chunk: Callable[[int], None] | None,
        timeout: float,
        procs: int | None,
    ) -> RebuildReport | None:
        # Read inside the rebuild's lock, once it is known to run.
        def source() -> tuple[Iterable[list[IndexDocument]], int | None]:
            if documents is not None:
                return _chunks_of(documents, chunk_size), None
            batches = all_batches(size=chunk_size)
            return batches.chunks, sum(batches.counts.values())

        return index.rebuild(
            source=source, timeout=timeout, if_needed=if_needed, on_chunk=on_chunk, procs=procs
        )

    def document_counts(self) -> dict[str, int]:
        return all_batches().counts

    def status(self) -> IndexStatus:
        root = index.index_root()
        try:
            ix = index.open_index(root)
            try:
                documents = ix.doc_count()
            finally:
                ix.close()
        except SearchUnavailable as exc:
            return IndexStatus(exc.reason, exc.message, None, None, SCHEMA_VERSION)
        except index.DAMAGE:
            return IndexStatus("corrupt", index.MESSAGES["corrupt"], None, None, SCHEMA_VERSION)
        return IndexStatus("ok", "", documents, index.current_generation(root), SCHEMA_VERSION)

    def setup_pending(self) -> IndexSetup | None:
        return None  # a missing index is built by the rebuild itself

    def setup(self) -> None:
        pass

    def on_migrate(self, *, using: str, verbosity: int, stdout: TextIO | None) -> None:
        pass  # the index lives outside the database
