"""Counting what whoosh's postings matcher reads, to check which blocks a search reaches."""

from __future__ import annotations

from typing import Any

import pytest

from articles.search.whoosh.internals import postings


def block_reads(monkeypatch: pytest.MonkeyPatch, method: str) -> list[tuple[Any, ...]]:
    """Each call of ``W3LeafMatcher.<method>`` from now on (``_read_ids``,
    ``_read_values``), with its arguments; the calls still happen."""
    blocks = postings.W3LeafMatcher  # whoosh's postings matcher, as postings reads it
    original = getattr(blocks, method)
    calls: list[tuple[Any, ...]] = []

    def counted(matcher: object, *args: Any) -> Any:
        calls.append(args)
        return original(matcher, *args)

    monkeypatch.setattr(blocks, method, counted)
    return calls


def term_block_reads(monkeypatch: pytest.MonkeyPatch, method: str) -> list[tuple[str, bytes]]:
    """The term, (field, text), of each call of ``W3LeafMatcher.<method>`` from now on."""
    blocks = postings.W3LeafMatcher
    original = getattr(blocks, method)
    terms: list[tuple[str, bytes]] = []

    def counted(matcher: Any, *args: Any) -> Any:
        terms.append(matcher.term())
        return original(matcher, *args)

    monkeypatch.setattr(blocks, method, counted)
    return terms
