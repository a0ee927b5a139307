"""Running a search: permissions, ranking or date order, a page of hits, facets, suggestions."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from articles.models.articles import SUBSCRIBER_PERMISSION
from articles.search.analysis import identifier_form, prose_terms
from articles.search.columns import count_and_facets, in_ranges
from articles.search.compile import compile_positive, matched_terms
from articles.search.docsets import docset
from articles.search.errors import SearchError, SearchUnavailable
from articles.search.index import DAMAGE, MESSAGES, open_searcher
from articles.search.pg.search import pg_search
from articles.search.plan import Access, Plan, plan_search
from articles.search.query import ParsedQuery, Text, edit_distance, parse_query
from articles.search.results import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SORTS,
    Facets,
    SearchFilters,
    SearchHit,
    SearchResults,
)
from articles.search.snippets import highlight_words, locked_snippet, snippet

logger = logging.getLogger("lwnkb.search")


class Reader(Protocol):
    """Anyone searching: a user, an anonymous visitor, an API token's user."""

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


def _check(sort: str, page: int, page_size: int) -> None:
    if sort not in SORTS:
        raise SearchError(f"sort must be one of {', '.join(SORTS)}.")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise SearchError(f"page_size must be between 1 and {MAX_PAGE_SIZE}.")
    if page < 1 or (page - 1) * page_size >= MAX_RESULT_WINDOW:
        raise SearchError(f"Only the first {MAX_RESULT_WINDOW} results can be paged through.")


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


def _closest(searcher: Any, word: str) -> str | None:
    """The most frequent indexed word one or two edits away from ``word``."""
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
        if candidates:
            return min(candidates, key=rank)
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
            if (better := _closest(searcher, node.text.lower())) is not None:
                replacements.append((node.span[1] - len(node.text), node.span[1], better))
    if not replacements:
        return None
    corrected = query
    for start, end, word in sorted(replacements, reverse=True):
        corrected = corrected[:start] + word + corrected[end:]
    # Offer it only if it finds something this reader may see (no hints from locked text).
    check = plan_search(parse_query(corrected), filters, access)
    for leaf, _offset in searcher.leaf_searchers():
        if in_ranges(leaf.reader(), docset(check.query, leaf), check.ranges):
            return corrected
    return None


def _run(
    searcher: Any, plan: Plan, *, sort: str, limit: int, facets: bool
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


def archive_search(
    *,
    query: str,
    user: Reader,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    facets: bool = True,
    suggest: bool = True,
) -> SearchResults:
    """Search articles, merge-window items, hardware devices and comments.

    With ``settings.SEARCH_BACKEND == "postgres"`` the tables' full-text columns
    answer (``articles.search.pg``), otherwise the whoosh index; both return the
    same results for the same query language.

    ``query`` uses the query language of ``articles.search.query``; ``filters``
    are exact facet values. Readers without ``articles.view_subscriber_content``
    find subscriber-only articles by title only until their free date, and never
    see comments or items under them. Raises SearchError (bad query or
    parameters, with a message for people) or SearchUnavailable (index missing,
    outdated or damaged; or the postgres backend on a database that is not PostgreSQL).
    """
    _check(sort, page, page_size)
    filters = filters or SearchFilters()
    query = query.strip()
    parsed = parse_query(query)
    access = Access(user.has_perm(SUBSCRIBER_PERMISSION), timezone.now().date())
    if settings.SEARCH_BACKEND == "postgres":
        return pg_search(
            query=query,
            parsed=parsed,
            filters=filters,
            can_read=access.can_read,
            today=access.today,
            sort=sort,
            page=page,
            page_size=page_size,
            facets=facets,
            suggest_words=suggest,
        )
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
