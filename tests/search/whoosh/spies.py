"""Counting what whoosh's postings matcher reads, to check which blocks a search reaches."""

from __future__ import annotations

from typing import Any

import pytest

from articles.search.whoosh.internals import postings


def block_reads(monkeypatch: pytest.MonkeyPatch, method: str) -> list[tuple[str, bytes]]:
    """Each call of ``W3LeafMatcher.<method>`` from now on (``_read_ids``,
    ``_read_values``), as the term, (field, text), whose block it reads; the calls
    still happen."""
    blocks = postings.W3LeafMatcher  # whoosh's postings matcher, as postings reads it
    original = getattr(blocks, method)
    terms: list[tuple[str, bytes]] = []

    def counted(matcher: Any, *args: Any) -> Any:
        terms.append(matcher.term())
        return original(matcher, *args)

    monkeypatch.setattr(blocks, method, counted)
    return terms
