"""The query language: what parses into what, and friendly errors for what cannot."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.search import SearchError
from articles.search.query import (
    MAX_QUERY_LENGTH,
    Exact,
    Prefix,
    Range,
    Text,
    parse_query,
)

# No search runs here: the query language and analyzers are shared by both backends.
pytestmark = pytest.mark.backend_independent


def test_it_parses_words_phrases_qualifiers_or_and_exclusions() -> None:
    query = 'seccomp "ring buffer" title:bpf OR author:"Jake Edge" -landlock'
    parsed = parse_query(query)
    assert [c.excluded for c in parsed.clauses] == [False, False, False, True]
    seccomp, phrase, either, excluded = parsed.clauses
    assert seccomp.alternatives == [Text("seccomp", span=(0, 7))]
    assert phrase.alternatives[0] == Text("ring buffer", phrase=True, span=(8, 21))
    assert [type(n) for n in either.alternatives] == [Text, Text]
    start = query.index("author:")
    assert either.alternatives[1] == Text("Jake Edge", "author", True, (start, start + 18))
    assert excluded.alternatives == [Text("landlock", span=(len(query) - 9, len(query)))]


@pytest.mark.parametrize(
    ("query", "node"),
    [
        ("capab*", Prefix("capab")),
        ("title:cap*", Prefix("cap", "title")),
        ("entity:CAP_PERFMON", Exact("entity", "cap_perfmon")),
        ("type:Hardware", Exact("type", "hardware")),
        ("release:5.8", Range("release_key", 5_008_000, 5_008_000)),
        ("release:>=6.1", Range("release_key", 6_001_000, None)),
        ("release:>6.1", Range("release_key", 6_001_000, None, low_excl=True)),
        ("release:<5.10", Range("release_key", None, 5_010_000, high_excl=True)),
        ("after:2020-06-01", Range("date", dt.date(2020, 6, 1), None)),
        ("before:2020-06-30", Range("date", None, dt.date(2020, 6, 30))),
    ],
)
def test_it_parses_each_qualifier(query: str, node: object) -> None:
    (clause,) = parse_query(query).clauses
    assert clause.alternatives == [node]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"ring buffer', "quotation mark is not closed"),
        ("OR seccomp", "OR needs a term on each side"),
        ("seccomp OR", "OR needs a term on each side"),
        ("seccomp OR OR bpf", "OR needs a term on each side"),
        ("seccomp OR -bpf", "exclusion cannot be part of an OR"),
        ("a*", "at least 2 characters"),
        ("*", "at least 2 characters"),
        ("type:blog", "type: must be one of article, merge, hardware, comment"),
        ("release:latest", "release: takes a kernel version"),
        ("release:>=6", "release: takes a kernel version"),
        ("before:2020-13-01", "before: takes a date as YYYY-MM-DD"),
        ("after:yesterday", "after: takes a date as YYYY-MM-DD"),
        ("autor:corbet", "Did you mean author:?"),
        ("title:", "title: needs a value"),
        ("x" * (MAX_QUERY_LENGTH + 1), "too long"),
        (" ".join(["word"] * 41), "too many terms"),
    ],
)
def test_it_explains_what_is_wrong_with_a_query(query: str, message: str) -> None:
    with pytest.raises(SearchError) as excinfo:
        parse_query(query)
    assert message in excinfo.value.message


def test_it_reads_unknown_word_colon_word_as_text() -> None:
    (clause,) = parse_query("https://lwn.net").clauses
    assert isinstance(clause.alternatives[0], Text)


def test_it_accepts_an_empty_query() -> None:
    assert parse_query("   ").clauses == []
