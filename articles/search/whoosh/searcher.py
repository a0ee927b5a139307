"""Searching the whoosh index: permissions, ranking or date order, hits, facets, suggestions."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from articles.search.analysis import identifier_form, prose_terms
from articles.search.errors import SearchError, SearchUnavailable
from articles.search.query import Clause, ParsedQuery, Text, edit_distance, parse_query
from articles.search.results import Access, Facets, SearchFilters, SearchHit, SearchResults
from articles.search.snippets import highlight_words, locked_snippet, snippet
from articles.search.whoosh.compile import compile_positive, matched_terms
from articles.search.whoosh.index import DAMAGE, MESSAGES, open_searcher
from articles.search.whoosh.internals.docsets import docset
from articles.search.whoosh.internals.facet_columns import count_and_facets, in_ranges
from articles.search.whoosh.plan import PermittedQuery, plan_search

logger = logging.getLogger("lwnkb.search")


def _hit(hit: Any, *, words: frozenset[str], access: Access, scored: bool) -> SearchHit:
    stored = hit.fields()
    free_on = dt.date.fromisoformat(stored["free_on"]) if stored.get("free_on") else None
    locked = (
        not access.can_read
        and bool(stored.get("subscriber_only"))
        and (free_on is None or free_on > access.today)
    )
    day = stored.get("date")
    return SearchHit(
        type=stored["type"],
        id=stored["pk"],
        lwn_id=stored.get("lwn_id"),
        title=stored.get("title", ""),
        url=stored.get("url", ""),
        snippet=locked_snippet(free_on) if locked else snippet(stored.get("body", ""), words),
        score=round(float(hit.score), 4) if scored and hit.score is not None else None,
        date=dt.date.fromisoformat(day) if day else None,
        release=stored.get("release", ""),
        section=stored.get("section", ""),
        authors=tuple(stored.get("author_names", ())),
        locked=locked,
        article_lwn_id=stored.get("article_lwn_id"),
    )


def _readable(searcher: Any, word: str, field: str, access: Access) -> bool:
    """Whether a document ``access`` may read has ``word`` (in ``field``: any or title).

    The spelling vocabulary holds the words of every document, locked ones too;
    a correction must come from text the reader could find by searching for it.
    """
    if access.can_read:
        return True
    single = ParsedQuery([Clause([Text(word, field=field)])])
    try:
        plan = plan_search(single, SearchFilters(), access)
    except SearchError:  # only stop words: nothing to find it in
        return False
    return any(docset(plan.query, leaf) for leaf, _offset in searcher.leaf_searchers())


def _closest(searcher: Any, word: str, field: str, access: Access) -> str | None:
    """The most frequent word one or two edits away from ``word`` that ``access`` may read."""
    reader = searcher.reader()

    def rank(candidate: str) -> tuple[int, int, str]:
        terms = prose_terms(candidate)
        frequency = reader.doc_frequency("body", terms[0]) if terms else 0
        return (edit_distance(word, candidate), -frequency, candidate)

    for maxdist in (1, 2):
        candidates: set[str] = set()
        # Per segment: a segment reader walks its word list with a Levenshtein automaton.
        for leaf, _offset in searcher.leaf_searchers():
            candidates.update(leaf.reader().terms_within("vocab", word, maxdist, prefix=1))
        candidates.discard(word)
        for candidate in sorted(candidates, key=rank):
            if _readable(searcher, candidate, field, access):
                return candidate
    return None


def _suggestion(
    searcher: Any, query: str, parsed: ParsedQuery, filters: SearchFilters, access: Access
) -> str | None:
    """A corrected query when a word is in no document and a close word is; None otherwise."""
    reader = searcher.reader()
    replacements: list[tuple[int, int, str]] = []
    for clause in parsed.positive:
        for node in clause.alternatives:
            if not isinstance(node, Text) or node.field not in ("any", "title") or node.phrase:
                continue
            terms = prose_terms(node.text)
            if identifier_form(node.text) is not None or len(terms) != 1:
                continue
            if reader.doc_frequency("body", terms[0]) or reader.doc_frequency("title", terms[0]):
                continue
            if (better := _closest(searcher, node.text.lower(), node.field, access)) is not None:
                replacements.append((node.span[1] - len(node.text), node.span[1], better))
    if not replacements:
        return None
    corrected = query
    for start, end, word in sorted(replacements, reverse=True):
        corrected = corrected[:start] + word + corrected[end:]
    # Each word put in is one this reader may read (above); the whole query must also
    # find something they may see, or the suggestion leads nowhere.
    check = plan_search(parse_query(corrected), filters, access)
    for leaf, _offset in searcher.leaf_searchers():
        if in_ranges(leaf.reader(), docset(check.query, leaf), check.ranges):
            return corrected
    return None


def _run(
    searcher: Any, plan: PermittedQuery, *, sort: str, limit: int, facets: bool
) -> tuple[list[Any], int, Facets]:
    """The first ``limit`` hits in order, the total and the facet counts."""
    order: dict[str, Any] = {"sortedby": "day", "reverse": True} if sort == "date" else {}
    # Rank with whoosh's block skipping; count and facet with set operations.
    segments: list[tuple[Any, set[int]]] = []
    allowed: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        docs = in_ranges(leaf.reader(), docset(plan.query, leaf), plan.ranges)
        segments.append((leaf.reader(), docs))
        if plan.ranges:
            allowed.update(offset + d for d in docs)
    count, facet_counts = count_and_facets(segments, facets=facets)
    if not count:
        return [], 0, facet_counts
    # The ranges are not part of the query: the matches that pass them are the filter.
    results = searcher.search(
        plan.query, limit=limit, filter=allowed if plan.ranges else None, **order
    )
    # Sliced, not list(): list() asks len(), which makes whoosh count every match again.
    return results[: results.scored_length()], count, facet_counts


def whoosh_search(
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
    """Search the index for ``parsed`` (the parse of ``query``), as ``access`` may see.

    Raises SearchError when nothing is left to search for, and SearchUnavailable
    when the index is missing, outdated or damaged.
    """
    plan = plan_search(parsed, filters, access)
    limit = page * page_size
    try:
        with open_searcher() as searcher:
            found, count, facet_counts = _run(searcher, plan, sort=sort, limit=limit, facets=facets)
            terms = matched_terms(compile_positive(parsed), searcher.reader())
            words = highlight_words(terms)
            hits = [
                _hit(h, words=words, access=access, scored=sort == "relevance")
                for h in found[(page - 1) * page_size : limit]
            ]
            suggestion = _suggestion(searcher, query, parsed, filters, access) if suggest else None
    except DAMAGE as exc:
        logger.exception("search failed on a damaged index")
        raise SearchUnavailable(MESSAGES["corrupt"], reason="corrupt") from exc
    return SearchResults(
        query=query,
        count=count,
        hits=hits,
        facets=facet_counts,
        page=page,
        page_size=page_size,
        sort=sort,
        suggestion=suggestion,
        filters=filters,
    )
