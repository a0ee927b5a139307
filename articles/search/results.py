"""What the facade takes and returns: typed, engine-free values for views, the API and the bench."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SORTS = ("relevance", "date")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Deeper pages cost more to rank; nobody reads result 5,000 of a keyword search.
MAX_RESULT_WINDOW = 5_000


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Exact filters, as facet links and API parameters give them."""

    type: str = ""
    release: str = ""
    section: str = ""
    author: str = ""
    after: dt.date | None = None
    before: dt.date | None = None

    @classmethod
    def from_params(cls, data: Mapping[str, Any]) -> SearchFilters:
        """The filters in validated request parameters (API or page); missing means none."""
        return cls(
            type=data.get("type") or "",
            release=data.get("release") or "",
            section=data.get("section") or "",
            author=data.get("author") or "",
            after=data.get("after"),
            before=data.get("before"),
        )

    def is_empty(self) -> bool:
        return not any(
            (self.type, self.release, self.section, self.author, self.after, self.before)
        )


@dataclass(frozen=True, slots=True)
class Access:
    """What the person searching may see: full subscriber text or not, as of ``today``."""

    can_read: bool  # subscriber-only text before its free date
    today: dt.date


@dataclass(frozen=True, slots=True)
class SearchHit:
    type: str  # article, merge, hardware or comment
    id: int  # primary key of the row in its table
    lwn_id: int | None
    title: str
    url: str
    # HTML: the text is escaped and only <mark>…</mark> is added, so it is safe to render.
    snippet: str
    score: float | None
    date: dt.date | None
    release: str
    section: str
    authors: tuple[str, ...] = ()
    locked: bool = False  # shown as title and free date only, for this reader
    article_lwn_id: int | None = None  # the article it is part of (itself for an article)


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    type: tuple[FacetValue, ...] = ()
    release: tuple[FacetValue, ...] = ()
    section: tuple[FacetValue, ...] = ()
    author: tuple[FacetValue, ...] = ()
    year: tuple[FacetValue, ...] = ()

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        return {
            name: [{"value": v.value, "count": v.count} for v in getattr(self, name)]
            for name in ("type", "release", "section", "author", "year")
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    count: int
    hits: list[SearchHit]
    facets: Facets
    page: int
    page_size: int
    sort: str = "relevance"
    suggestion: str | None = None
    filters: SearchFilters = field(default_factory=SearchFilters)

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < min(self.count, MAX_RESULT_WINDOW)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.count, MAX_RESULT_WINDOW) // self.page_size))


@dataclass(frozen=True, slots=True)
class RebuildReport:
    documents: int
    seconds: float
    path: Path


@dataclass(frozen=True, slots=True)
class IndexStatus:
    state: str  # ok, missing, outdated, corrupt; disabled (postgres engine, no PostgreSQL)
    message: str
    documents: int | None
    path: Path | None
    schema_version: int  # the engine's: a change of what is indexed bumps it

    @property
    def needs_rebuild(self) -> bool:
        return self.state != "ok"


@dataclass(frozen=True, slots=True)
class IndexSetup:
    """A one-off step the engine needs before it can search, for ``lwn_reindex`` to say."""

    what: str  # "the PostgreSQL full-text search columns"
    cost: str  # why it takes a while, said before it starts
