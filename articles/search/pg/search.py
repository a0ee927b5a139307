"""Running a search on PostgreSQL: the same contract as the whoosh searcher.

``pg_search`` takes a parsed query and returns :class:`SearchResults` with the
same hits, snippets, facets and paywall rule as the whoosh engine.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import DatabaseError, connection, transaction

from articles.models.articles import paywalled_on
from articles.search.errors import SearchError, SearchUnavailable
from articles.search.pg import suggest
from articles.search.pg.branches import ENGLISH
from articles.search.pg.compile import (
    Analysis,
    CompiledQuery,
    compile_query,
    ident_text,
    texts_to_analyze,
)
from articles.search.pg.ddl import MISSING, is_missing_column
from articles.search.pg.predicates import Sql
from articles.search.pg.snippets import snippet_html, title_html
from articles.search.pg.statements import (
    FACET_LIMIT,
    analysis_sql,
    exists_sql,
    hits_sql,
    matches_sql,
)
from articles.search.query import ParsedQuery, Text, parse_query
from articles.search.results import (
    Access,
    Facets,
    FacetValue,
    SearchFilters,
    SearchHit,
    SearchResults,
)
from articles.search.snippets import locked_snippet, with_title

FACET_NAMES = ("type", "release", "section", "author", "year")


def _rows(sql: Sql) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        try:
            cursor.execute(sql.text, sql.params)
        except DatabaseError as exc:
            if is_missing_column(exc):
                raise SearchUnavailable(MISSING, reason="missing") from exc
            raise
        return list(cursor.fetchall())


_PROBE_SETTINGS = "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
_DEFAULT_SETTINGS = (
    "SELECT set_config(name, reset_val, true) FROM pg_settings"
    " WHERE name IN ('enable_seqscan', 'jit')"
)


def _probe_rows(sql: Sql) -> list[tuple[Any, ...]]:
    """Rows of a statement made of per-word ``EXISTS`` probes, planned on the GIN indexes.

    The words are known only when the statement runs (they come from ``unnest``), so
    PostgreSQL has no statistics for them, guesses that some rows match, and plans
    each ``EXISTS`` as a sequential scan expected to stop at its first match. For a
    word no row has (the usual case here: misspellings and their variants) that scan
    reads the whole table, once per word: 2 s for 285 spelling variants over 36,000
    comments, growing with the archive. The GIN index answers each probe in
    microseconds whatever the table's size, so sequential scans are ruled out for
    this one statement (and JIT, which these small probes never repay).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_PROBE_SETTINGS)
        rows = _rows(sql)
        # A transaction-local setting lasts to the end of the outer transaction (a
        # request's, say), not of this block: put both back for what follows.
        cursor.execute(_DEFAULT_SETTINGS)
    return rows


def check_database() -> None:
    if connection.vendor != "postgresql":
        raise SearchUnavailable(
            "Search is unavailable: the postgres search backend needs a PostgreSQL database "
            "(LWNKB_DATABASE_URL); set LWNKB_SEARCH_BACKEND=whoosh to use the embedded index.",
            reason="disabled",
        )


def _correctable(parsed: ParsedQuery) -> list[Text]:
    """Positive single words that may get a "did you mean" (as the whoosh searcher picks)."""
    return [
        node
        for clause in parsed.positive
        for node in clause.alternatives
        if isinstance(node, Text)
        and node.field in ("any", "title")
        and not node.phrase
        and ident_text(node) is None
        and suggest.can_correct(node.text.lower())
    ]


def analyze(
    parsed: ParsedQuery, access: Access, *, suggest_words: list[Text] | None = None
) -> Analysis:
    """Ask PostgreSQL for the tsqueries of the query's texts (one round trip, or none).

    For ``suggest_words``, also whether a row ``access`` may read has them.
    """
    texts = texts_to_analyze(parsed)
    if not texts:
        return Analysis()
    asked = {node.text for node in suggest_words or ()}
    check = [config == ENGLISH and text in asked for config, text in texts]
    analysis = Analysis()
    sql = analysis_sql(texts, check, access)
    # Without a word to check no probe runs: the plain statement spares the four round
    # trips that set and reset the probes' planner settings.
    for config, text, tsquery, found in _probe_rows(sql) if any(check) else _rows(sql):
        analysis.tsqueries[(config, text)] = tsquery
        if found is not None:
            analysis.found[text] = found
    return analysis


def _top(counter: Counter[str], name: str) -> tuple[FacetValue, ...]:
    """The most frequent values; releases and years then read newest first (as whoosh)."""
    items = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    if name == "release":
        items.sort(
            key=lambda item: tuple(int(p) if p.isdigit() else 0 for p in item[0].split(".")),
            reverse=True,
        )
    elif name == "year":
        items.sort(reverse=True)
    return tuple(FacetValue(value, n) for value, n in items)


def _sort_key(sort: str) -> Any:
    def key(row: tuple[Any, ...]) -> tuple[Any, ...]:
        _, doc_type, pk, rank, day = row
        newest = -(day.toordinal() if day else 0)
        if sort == "relevance":
            return (-rank, newest, doc_type, -pk)
        return (newest, doc_type, -pk)

    return key


def _hit(row: tuple[Any, ...], scores: dict[tuple[str, int], float], access: Access) -> SearchHit:
    (doc_type, pk, title, url, lwn_id, article_lwn_id, day, release, section, authors,
     subscriber_only, free_on, headline, head, tail, title_headline) = row  # fmt: skip
    locked = not access.can_read and paywalled_on(
        subscriber_only=subscriber_only, free_on=free_on, day=access.today
    )
    score = scores.get((doc_type, pk))
    return SearchHit(
        type=doc_type,
        id=pk,
        lwn_id=lwn_id,
        title=title,
        url=url,
        snippet=locked_snippet(free_on)
        if locked
        else with_title(title_html(title_headline), snippet_html(headline, head, tail)),
        score=round(score, 4) if score is not None else None,
        date=day,
        release=release,
        section=section,
        authors=tuple(authors),
        locked=locked,
        article_lwn_id=article_lwn_id,
    )


def _suggestion(
    query: str, words: list[Text], analysis: Analysis, filters: SearchFilters, access: Access
) -> str | None:
    missing = [n for n in words if analysis.found.get(n.text) is False]
    if not missing:
        return None
    found = dict(_probe_rows(suggest.candidates_sql((n.text.lower() for n in missing), access)))
    options = {n.text.lower(): suggest.ranked(n.text.lower(), found) for n in missing}
    choices = {word for ranked in options.values() for word in ranked}
    written = (
        {row[0] for row in _probe_rows(suggest.literal_sql(choices, access))} if choices else set()
    )
    corrected = query
    replaced = False
    for node in sorted(missing, key=lambda n: n.span[1], reverse=True):
        ranked = options[node.text.lower()]
        if (better := next((w for w in ranked if w in written), None)) is not None:
            start, end = node.span[1] - len(node.text), node.span[1]
            corrected, replaced = corrected[:start] + better + corrected[end:], True
    if not replaced:
        return None
    # Each word put in is one this reader may read (candidates_sql); the whole query
    # must also find something they may see, or the suggestion leads nowhere.
    parsed = parse_query(corrected)
    try:
        check = compile_query(
            parsed, filters, analyze(parsed, access), can_read=access.can_read, today=access.today
        )
    except SearchError:
        return None
    sql = exists_sql(check, today=access.today, can_read=access.can_read)
    return corrected if sql is not None and _rows(sql) else None


def pg_search(
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
    """Search the tables for ``parsed`` (the parse of ``query``), as ``access`` may see.

    Raises SearchError when nothing is left to search for, and SearchUnavailable
    when the database is not PostgreSQL or its full-text columns are missing.
    """
    check_database()
    words = _correctable(parsed) if suggest else []
    analysis = analyze(parsed, access, suggest_words=words)
    found = compile_query(parsed, filters, analysis, can_read=access.can_read, today=access.today)
    count, keys, scores, counters = _matches(found, sort, page, page_size, facets, access)
    hits: list[SearchHit] = []
    if keys:
        rows = {
            (r[0], r[1]): r
            for r in _rows(
                hits_sql(keys, found.highlight, can_read=access.can_read, today=access.today)
            )
        }
        hits = [_hit(rows[k], scores, access) for k in keys if k in rows]
    return SearchResults(
        query=query,
        count=count,
        hits=hits,
        facets=Facets(**{name: _top(counters[name], name) for name in FACET_NAMES}),
        page=page,
        page_size=page_size,
        sort=sort,
        suggestion=_suggestion(query, words, analysis, filters, access) if words else None,
        filters=filters,
    )


def _matches(
    found: CompiledQuery, sort: str, page: int, page_size: int, facets: bool, access: Access
) -> tuple[int, list[tuple[str, int]], dict[tuple[str, int], float], dict[str, Counter[str]]]:
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACET_NAMES}
    sql = matches_sql(
        found,
        sort=sort,
        offset=(page - 1) * page_size,
        limit=page_size,
        facets=facets,
        can_read=access.can_read,
        today=access.today,
    )
    if sql is None:
        return 0, [], {}, counters
    count, hit_rows = 0, []
    for row in _rows(sql):
        kind, value, n = row[:3]
        if kind == "hit":
            hit_rows.append(row)
        elif kind == "count":
            count = n
        else:
            counters[kind][value] = n
    hit_rows.sort(key=_sort_key(sort))
    keys = [(r[1], r[2]) for r in hit_rows]
    scores = {(r[1], r[2]): r[3] for r in hit_rows} if sort == "relevance" else {}
    return count, keys, scores, counters
