"""What to run for a search: the whoosh query a reader may see, and column range checks.

Ranges that stand on their own (``after:``, ``before:``, ``release:>=6.1`` and
the API's date filters) are checked against columns while matches are
collected; inside an OR or an exclusion they stay whoosh range queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from whoosh import query as wq

from articles.search.errors import SearchError
from articles.search.query import ParsedQuery, Range
from articles.search.results import Access, SearchFilters
from articles.search.whoosh.compile import (
    compile_excluded,
    compile_positive,
    filter_query,
    visible_query,
    without,
)
from articles.search.whoosh.internals.facet_columns import ColumnRange

# Values outside these bounds are the columns' "no value" (see schema.build_schema).
_VALID = {"day": (1, dt.date.max.toordinal()), "release_key": (1_000_000, 2**31 - 1)}


@dataclass(frozen=True, slots=True)
class PermittedQuery:
    """The whoosh query for what this reader may find, and the column ranges to check."""

    query: Any
    ranges: tuple[ColumnRange, ...] = ()


def _column_range(node: Range) -> ColumnRange:
    column = "day" if node.field == "date" else node.field
    low_valid, high_valid = _VALID[column]

    def as_int(value: int | dt.date | None, default: int) -> int:
        if value is None:
            return default
        return value.toordinal() if isinstance(value, dt.date) else value

    low = as_int(node.low, low_valid) + (1 if node.low is not None and node.low_excl else 0)
    high = as_int(node.high, high_valid) - (1 if node.high is not None and node.high_excl else 0)
    return ColumnRange(column, max(low, low_valid), min(high, high_valid))


def _split_ranges(parsed: ParsedQuery) -> tuple[ParsedQuery, list[ColumnRange]]:
    kept, ranges = [], []
    for clause in parsed.clauses:
        (first, *others) = clause.alternatives
        if isinstance(first, Range) and not others and not clause.excluded:
            ranges.append(_column_range(first))
        else:
            kept.append(clause)
    return replace(parsed, clauses=kept), ranges


def _assemble(parsed: ParsedQuery, filters: Any, *, title_only: bool, ranged: bool) -> Any:
    positive = compile_positive(parsed, title_only=title_only)
    base = positive if filters is None else (filters if positive is None else positive & filters)
    if base is None and ranged:
        base = wq.Every()
    if base is None:
        return None
    excluded = compile_excluded(parsed, title_only=title_only)
    return base if excluded is None else without(base, excluded)


def plan_search(parsed: ParsedQuery, filters: SearchFilters, access: Access) -> PermittedQuery:
    """The permitted query; raises SearchError when nothing is left to search for."""
    rest, ranges = _split_ranges(parsed)
    if filters.after or filters.before:
        ranges.append(_column_range(Range("date", filters.after, filters.before)))
    exact = filter_query(
        doc_type=filters.type,
        release=filters.release,
        section=filters.section,
        author=filters.author,
    )
    full = _assemble(rest, exact, title_only=False, ranged=bool(ranges))
    if full is None:
        if parsed.clauses:
            raise SearchError("Those words are too common to search for; add a more specific one.")
        raise SearchError("Type something to search for.")
    if not access.can_read:
        title_only = _assemble(rest, exact, title_only=True, ranged=bool(ranges))
        full = visible_query(full, title_only, today=access.today)
    return PermittedQuery(full, tuple(ranges))
