"""Parsed queries → predicates over the tables, with the same meaning as ``whoosh/compile.py``.

The query language is the one ``articles.search.query`` parses for whoosh. Words
that read as kernel identifiers match the identifier column exactly; other words
and phrases go through ``phraseto_tsquery`` with the ``lwnkb_english``
configuration (stemmed, accents folded, stop words dropped with their positions
kept, like whoosh's phrase gaps). Prefixes are tsquery prefix matches on the
stored lexemes, unstemmed, like whoosh's. ``title:`` restricts lexemes to weight
A (titles).

What PostgreSQL makes of each text (its tsquery) is asked for in one round trip
first (:class:`Analysis`): a word that is only stop words drops out of the query
exactly as in whoosh, and "Those words are too common" is decided the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from articles.search.analysis import identifier_form
from articles.search.errors import SearchError
from articles.search.pg.branches import ENGLISH, SIMPLE
from articles.search.pg.predicates import (
    Between,
    EntityIs,
    Equals,
    Locked,
    Names,
    Not,
    Pred,
    Sql,
    TypeIs,
    Vector,
    all_of,
    any_of,
)
from articles.search.query import Clause, Exact, Node, ParsedQuery, Prefix, Range, Text
from articles.search.results import SearchFilters

_LEXEME = re.compile(r"'(?:[^']|'')*'")


def quote_lexeme(text: str) -> str:
    """A tsquery literal for one lexeme, taken as it is (no parsing, no stemming)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def weighted(tsquery: str, weights: str) -> str:
    """``tsquery`` with every lexeme restricted to ``weights`` ("A": titles)."""
    return _LEXEME.sub(lambda m: f"{m.group()}:{weights}", tsquery)


def ident_text(node: Text) -> str | None:
    """The identifier a text node searches for, or None when it is prose."""
    ident = identifier_form(node.text)
    if ident is not None and (not node.phrase or " " not in node.text.strip()):
        return ident
    return None


@dataclass(slots=True)
class Analysis:
    """What PostgreSQL's parser makes of the query's texts: (config, text) → tsquery text."""

    tsqueries: dict[tuple[str, str], str] = field(default_factory=dict)
    # Words that may get a "did you mean": does any document contain them?
    found: dict[str, bool] = field(default_factory=dict)

    def prose(self, text: str) -> str:
        return self.tsqueries.get((ENGLISH, text), "")

    def names(self, text: str) -> str:
        return self.tsqueries.get((SIMPLE, text), "")


def _nodes(parsed: ParsedQuery) -> Iterator[Node]:
    for clause in parsed.clauses:
        yield from clause.alternatives


def texts_to_analyze(parsed: ParsedQuery) -> list[tuple[str, str]]:
    """(config, text) pairs the compiler needs tsqueries for."""
    wanted: dict[tuple[str, str], None] = {}
    for node in _nodes(parsed):
        if not isinstance(node, Text):
            continue
        if node.field in ("author", "section"):
            wanted[(SIMPLE, node.text)] = None
        elif ident_text(node) is None:
            wanted[(ENGLISH, node.text)] = None
        # An identifier matches as one lexeme (no analysis); the words snippets mark in it
        # are analysed where they are used (``Highlight``), so a search for identifiers
        # only needs no analysis round trip.
    return list(wanted)


def _text(node: Text, analysis: Analysis, *, title_only: bool) -> Pred | None:
    if node.field in ("author", "section"):
        query = analysis.names(node.text)
        return Names(node.field, query) if query else None  # type: ignore[arg-type]
    title = title_only or node.field == "title"
    if (ident := ident_text(node)) is not None:
        return Vector("ident", quote_lexeme(ident) + (":A" if title else ""))
    query = analysis.prose(node.text)
    if not query:
        return None  # only stop words
    return Vector("prose", weighted(query, "A") if title else query)


def _prefix(node: Prefix, *, title_only: bool) -> Pred | None:
    if node.field == "entity":
        return EntityIs(node.text, prefix=True)
    if node.field in ("author", "section"):
        return Names(node.field, quote_lexeme(node.text) + ":*")  # type: ignore[arg-type]
    title = title_only or node.field == "title"
    query = quote_lexeme(node.text) + (":*A" if title else ":*")
    return any_of([Vector("prose", query), Vector("ident", query)])


def _range(node: Range) -> Between:
    low, high = node.low, node.high
    step: int | dt.timedelta = dt.timedelta(days=1) if node.field == "date" else 1
    if low is not None and node.low_excl:
        low = low + step  # type: ignore[operator]
    if high is not None and node.high_excl:
        high = high - step  # type: ignore[operator]
    return Between("date" if node.field == "date" else "release_key", low, high)


def compile_node(node: Node, analysis: Analysis, *, title_only: bool = False) -> Pred | None:
    if isinstance(node, Text):
        return _text(node, analysis, title_only=title_only)
    if isinstance(node, Prefix):
        return _prefix(node, title_only=title_only)
    if isinstance(node, Exact):
        return TypeIs(node.value) if node.field == "type" else EntityIs(node.value)
    return _range(node)


def _positive(parsed: ParsedQuery, analysis: Analysis, *, title_only: bool) -> Pred | None:
    return all_of(
        [
            any_of([compile_node(n, analysis, title_only=title_only) for n in c.alternatives])
            for c in parsed.positive
        ]
    )


def _excluded(parsed: ParsedQuery, analysis: Analysis, *, title_only: bool) -> Pred | None:
    return any_of(
        [compile_node(c.alternatives[0], analysis, title_only=title_only) for c in parsed.excluded]
    )


def filter_pred(filters: SearchFilters) -> Pred | None:
    """Exact facet filters; dates are ranges (see :func:`plan`)."""
    return all_of(
        [
            TypeIs(filters.type) if filters.type else None,
            Equals("release", filters.release) if filters.release else None,
            Equals("section", filters.section) if filters.section else None,
            Equals("author", filters.author) if filters.author else None,
        ]
    )


_ALWAYS = Not(TypeIs("none"))  # TRUE on every branch


def _assemble(
    parsed: ParsedQuery, analysis: Analysis, exact: Pred | None, *, title_only: bool, ranged: bool
) -> Pred | None:
    base = all_of([_positive(parsed, analysis, title_only=title_only), exact])
    if base is None and not ranged:
        return None
    excluded = _excluded(parsed, analysis, title_only=title_only)
    if base is None:
        return Not(excluded) if excluded is not None else _ALWAYS
    return base if excluded is None else all_of([base, Not(excluded)])


def _split_ranges(parsed: ParsedQuery) -> tuple[ParsedQuery, list[Pred]]:
    kept: list[Clause] = []
    ranges: list[Pred] = []
    for clause in parsed.clauses:
        (first, *others) = clause.alternatives
        if isinstance(first, Range) and not others and not clause.excluded:
            ranges.append(_range(first))
        else:
            kept.append(clause)
    return replace(parsed, clauses=kept), ranges


_LEXEME = re.compile(r"'((?:[^']|'')+)'")
# A stem shares all but its last two letters or so with the words it stems ("dying" is
# "die", "abilities" "abil"): short ones are looked for whole (a miss costs only time).
_STEM_CHANGES, _SHORT_STEM = 2, 5


@dataclass(frozen=True, slots=True)
class Highlight:
    """What snippets mark, ORed in query order: tsquery texts from the analysis, and
    identifiers whose words PostgreSQL analyses in the statement that marks them."""

    parts: tuple[tuple[Literal["tsquery", "ident"], str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.parts)

    def marks(self) -> list[str]:
        """Strings that begin the words a snippet marks, as a text may write them.

        A snippet's window starts where one is first written; that need not be a
        match (the window's headline is checked), and a match none of them finds only
        means a window further on, or the whole text.
        """
        found: list[str] = []
        for kind, value in self.parts:
            if kind == "ident":
                found.append(value)
                continue
            for lexeme in _LEXEME.findall(value):
                word = lexeme.replace("''", "'")
                found.append(word[:-_STEM_CHANGES] if len(word) >= _SHORT_STEM else word)
        cases = (str.lower, str.upper, str.capitalize)
        return list(dict.fromkeys(case(word) for word in found for case in cases if word))

    def sql(self) -> Sql:
        """A tsquery expression; it may be empty (an identifier of stop words only)."""
        texts = {
            "tsquery": "%s::tsquery",
            "ident": f"phraseto_tsquery('{ENGLISH}', translate(%s, '</', '  '))",
        }
        return Sql(
            "(" + " || ".join(texts[kind] for kind, _ in self.parts) + ")",
            tuple(value for _, value in self.parts),
        )


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A parsed query in SQL terms: which rows match, how they rank, what snippets mark."""

    where: Pred
    # Positive text matches, ORed, for ranking: (prose tsquery, identifier tsquery).
    rank_prose: str
    rank_ident: str
    # What snippets highlight: the positive words and phrases, identifiers as words.
    highlight: Highlight


def _or_queries(queries: list[str]) -> str:
    unique = list(dict.fromkeys(q for q in queries if q))
    return " | ".join(f"( {q} )" for q in unique)


def _rank_and_highlight(parsed: ParsedQuery, analysis: Analysis) -> tuple[str, str, Highlight]:
    prose: list[str] = []
    ident: list[str] = []
    highlight: list[tuple[Literal["tsquery", "ident"], str]] = []
    for clause in parsed.positive:
        for node in clause.alternatives:
            if isinstance(node, Text) and node.field in ("any", "title"):
                pred = _text(node, analysis, title_only=False)
                if isinstance(pred, Vector):
                    (prose if pred.column == "prose" else ident).append(pred.query)
                if (word := ident_text(node)) is not None:
                    highlight.append(("ident", word))
                elif query := analysis.prose(node.text):
                    highlight.append(("tsquery", query))
            elif isinstance(node, Prefix) and node.field in ("any", "title"):
                query = quote_lexeme(node.text) + (":*A" if node.field == "title" else ":*")
                prose.append(query)
                ident.append(query)
                highlight.append(("tsquery", quote_lexeme(node.text) + ":*"))
    unique = tuple(dict.fromkeys(highlight))
    return _or_queries(prose), _or_queries(ident), Highlight(unique)


def compile_query(
    parsed: ParsedQuery,
    filters: SearchFilters,
    analysis: Analysis,
    *,
    can_read: bool,
    today: dt.date,
) -> CompiledQuery:
    """What a reader may find; raises SearchError when nothing is left to search for.

    Readers without the subscriber permission find locked articles by their
    title only and nothing under them (comments, merge items, devices), as in
    the whoosh engine.
    """
    rest, ranges = _split_ranges(parsed)
    if filters.after or filters.before:
        ranges.append(Between("date", filters.after, filters.before))
    exact = filter_pred(filters)
    full = _assemble(rest, analysis, exact, title_only=False, ranged=bool(ranges))
    if full is None:
        if parsed.clauses:
            raise SearchError("Those words are too common to search for; add a more specific one.")
        raise SearchError("Type something to search for.")
    if not can_read:
        locked = Locked(today)
        title = _assemble(rest, analysis, exact, title_only=True, ranged=bool(ranges))
        allowed = all_of([full, Not(locked)])
        full = any_of([allowed, all_of([title, locked, TypeIs("article")]) if title else None])
        assert full is not None
    where = all_of([full, *ranges])
    assert where is not None
    return CompiledQuery(where, *_rank_and_highlight(parsed, analysis))
