"""The postgres engine behind the facade's ``Backend`` protocol.

The tables are the index: an import's own transaction updates the generated
full-text columns, so indexing is a no-op, a rebuild only makes sure the columns
exist, and plain index documents have nowhere to go.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from django.db import connection

from articles.models import Article, Comment, HardwareDevice, ImportRun, MergeWindowItem
from articles.search.documents import IndexDocument
from articles.search.errors import SearchUnavailable
from articles.search.pg.ddl import (
    SCHEMA_VERSION,
    search_columns_ensure,
    search_columns_on_migrate,
    search_columns_present,
)
from articles.search.pg.search import check_database, pg_search
from articles.search.pg.status import pg_status
from articles.search.results import (
    IndexSetup,
    IndexStatus,
    RebuildReport,
)

logger = logging.getLogger("lwnkb.search")

COLUMNS_SETUP = IndexSetup(
    what="the PostgreSQL full-text search columns", cost="every row is computed once"
)


class PostgresBackend:
    name = "postgres"

    # The engine's search function already takes the protocol's arguments.
    search = staticmethod(pg_search)

    def index_for_import(self, *, runs: Sequence[ImportRun], timeout: float) -> int:
        return 0  # the import already updated the tables

    def index_for_articles(self, *, article_ids: set[int], timeout: float) -> int:
        return 0

    def add_documents(self, documents: Iterable[IndexDocument], *, timeout: float) -> int:
        raise SearchUnavailable(
            "The postgres search backend searches the tables; store rows instead of "
            "adding index documents.",
            reason="disabled",
        )

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
        check_database()
        search_columns_ensure()
        logger.info("search index: postgres backend, the tables are the index; nothing to rebuild")
        return None

    def document_counts(self) -> dict[str, int]:
        return {
            "article": Article.objects.count(),
            "merge": MergeWindowItem.objects.count(),
            "hardware": HardwareDevice.objects.count(),
            "comment": Comment.objects.count(),
        }

    def status(self) -> IndexStatus:
        try:
            state, message, documents = pg_status()
        except SearchUnavailable as exc:
            return IndexStatus(exc.reason, exc.message, None, None, SCHEMA_VERSION)
        return IndexStatus(state, message, documents, None, SCHEMA_VERSION)

    def setup_pending(self) -> IndexSetup | None:
        # On another database the status says "disabled"; there is nothing to add.
        if connection.vendor != "postgresql" or search_columns_present():
            return None
        return COLUMNS_SETUP

    def setup(self) -> None:
        search_columns_ensure()

    def on_migrate(self, *, using: str, verbosity: int, stdout: TextIO | None) -> None:
        search_columns_on_migrate(using=using, verbosity=verbosity, stdout=stdout)
