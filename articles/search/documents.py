"""The plain document the whoosh engine indexes, and what ``index_add_documents`` takes.

Callers without models (the benchmark, tests) build these by hand; the whoosh
engine builds them from model rows (``whoosh/rows.py``). The postgres engine
searches the rows themselves and takes none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Required, TypedDict

# Rows read, and documents written, per chunk: bounds a rebuild's memory.
CHUNK_SIZE = 500


class IndexDocument(TypedDict, total=False):
    """One searchable text: an article, merge-window item, hardware device or comment."""

    type: Required[str]  # article, merge, hardware or comment
    pk: Required[int]
    title: Required[str]
    body: Required[str]
    lwn_id: int | None
    url: str
    authors: Sequence[str]
    section: str
    release: str
    date: dt.date | None
    entities: Sequence[str]
    subscriber_only: bool
    free_on: dt.date | None
    article_id: int | None  # the article it belongs to (itself for an article)
    article_lwn_id: int | None
    edition_id: int | None
