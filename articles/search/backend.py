"""The shape both search engines take, and the one place that picks the engine.

``settings.SEARCH_BACKEND`` names the engine: ``whoosh`` (``search/whoosh/``, an
index folder kept in step by tasks) or ``postgres`` (``search/pg/``, full-text
columns on the tables themselves). The facade's functions check and resolve their
arguments, then ask :func:`get_backend` for the engine; nothing else reads the
setting, so nothing outside ``articles.search`` knows which engine runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TextIO

from django.conf import settings

from articles.models import ImportRun
from articles.search.documents import IndexDocument
from articles.search.pg.backend import PostgresBackend
from articles.search.query import ParsedQuery
from articles.search.results import (
    Access,
    IndexSetup,
    IndexStatus,
    RebuildReport,
    SearchFilters,
    SearchResults,
)
from articles.search.whoosh.backend import WhooshBackend


class Backend(Protocol):
    """A search engine: what the facade's functions delegate to, arguments already checked."""

    name: str  # as LWNKB_SEARCH_BACKEND spells it

    def search(
        self,
        *,
        query: str,
        parsed: ParsedQuery,
        filters: SearchFilters,
        access: Access,
        sort: str,
        page: int,
        page_size: int,
        facets: bool,
        suggest: bool,
    ) -> SearchResults:
        """A page of hits for ``parsed``; SearchError or SearchUnavailable otherwise."""
        ...

    def index_for_import(self, *, runs: Sequence[ImportRun], timeout: float) -> int:
        """Bring what these imports touched up to date, in one commit; how many documents
        were written."""
        ...

    def index_for_articles(self, *, article_ids: set[int], timeout: float) -> int:
        """The same for these articles and everything under them."""
        ...

    def add_documents(self, documents: Iterable[IndexDocument], *, timeout: float) -> int:
        """Add or replace plain documents, creating the index if it is missing."""
        ...

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
        """Rebuild from the database (or ``documents``); None when there was nothing to do."""
        ...

    def document_counts(self) -> dict[str, int]:
        """How many documents of each type a rebuild from the database covers."""
        ...

    def status(self) -> IndexStatus:
        """Whether searches can run, and how many documents they search."""
        ...

    def setup_pending(self) -> IndexSetup | None:
        """A one-off step the engine still needs before searches can run, if any."""
        ...

    def setup(self) -> None:
        """Take the step ``setup_pending`` names."""
        ...

    def on_migrate(self, *, using: str, verbosity: int, stdout: TextIO | None) -> None:
        """What the engine does after ``manage.py migrate``."""
        ...


# Stateless: one of each for the process. Typed as Backend, so mypy checks both engines.
_BACKENDS: dict[str, Backend] = {"whoosh": WhooshBackend(), "postgres": PostgresBackend()}


def get_backend() -> Backend:
    """The configured engine (read on each call, so ``override_settings`` switches it)."""
    return _BACKENDS[settings.SEARCH_BACKEND]
