"""Searching the whoosh index: permissions, ranking or date order, hits, facets."""

from __future__ import annotations

import datetime as dt
import heapq
import logging
from dataclasses import dataclass
from typing import Any

from articles.models.articles import paywalled_on
from articles.search.errors import SearchUnavailable
from articles.search.query import ParsedQuery
from articles.search.results import Access, Facets, SearchFilters, SearchHit, SearchResults
from articles.search.snippets import (
    highlight_words,
    locked_snippet,
    marked_title,
    snippet,
    with_title,
)
from articles.search.whoosh.compile import compile_positive, matched_terms
from articles.search.whoosh.index import DAMAGE, MESSAGES, open_searcher
from articles.search.whoosh.internals.collect import ListTopCollector
from articles.search.whoosh.internals.docsets import in_range_docset
from articles.search.whoosh.internals.facet_columns import count_and_facets, latest
from articles.search.whoosh.internals.found import every_as_found, within
from articles.search.whoosh.internals.phrases import segment_key
from articles.search.whoosh.internals.postings import one_search
from articles.search.whoosh.plan import PermittedQuery, plan_search
from articles.search.whoosh.suggest import suggestion as suggest_query

logger = logging.getLogger("lwnkb.search")


def _snippet(title: str, stored: dict[str, Any], words: frozenset[str]) -> str:
    text = snippet(stored.get("body", ""), words)
    if "<mark>" in text:  # the usual case: no need to look at the title
        return text
    return with_title(marked_title(title, words), text)


def _hit(hit: Any, *, words: frozenset[str], access: Access, scored: bool) -> SearchHit:
    stored = hit.fields()
    free_on = dt.date.fromisoformat(stored["free_on"]) if stored.get("free_on") else None
    locked = not access.can_read and paywalled_on(
        subscriber_only=bool(stored.get("subscriber_only")), free_on=free_on, day=access.today
    )
    day = stored.get("date")
    title = stored.get("title", "")
    return SearchHit(
        type=stored["type"],
        id=stored["pk"],
        lwn_id=stored.get("lwn_id"),
        title=title,
        url=stored.get("url", ""),
        snippet=locked_snippet(free_on) if locked else _snippet(title, stored, words),
        score=round(float(hit.score), 4) if scored and hit.score is not None else None,
        date=dt.date.fromisoformat(day) if day else None,
        release=stored.get("release", ""),
        section=stored.get("section", ""),
        authors=tuple(stored.get("author_names", ())),
        locked=locked,
        article_lwn_id=stored.get("article_lwn_id"),
    )


# A search with ranges ranks within its matches when they are at most this many: walking
# each (a few microseconds) beats ranking the words' matches with whoosh's block
# skipping and testing each against the set, which wins for more.
RANK_WITHIN = 2_000


def _ranked(plan: PermittedQuery, segments: list[tuple[Any, int, set[int]]], count: int) -> Any:
    """What whoosh ranks (a query, and a filter of global numbers or None), given the
    matches per (leaf, offset). The ranges are not part of the query but its matches are."""
    if not plan.ranges:
        return plan.query, None

    def found() -> dict[str, list[int]]:
        return {segment_key(leaf.reader()): sorted(docs) for leaf, _offset, docs in segments}

    if count <= RANK_WITHIN:
        return within(plan.query, found()), None
    allowed = {offset + doc for _leaf, offset, docs in segments for doc in docs}
    return every_as_found(plan.query, found), allowed


def _run(
    searcher: Any, plan: PermittedQuery, *, sort: str, limit: int, facets: bool
) -> tuple[list[Any], int, Facets]:
    """The first ``limit`` hits in order, the total and the facet counts."""
    # Rank with whoosh's block skipping (or read the newest from the day column); count
    # and facet with set operations.
    segments: list[tuple[Any, int, set[int]]] = []
    for leaf, offset in searcher.leaf_searchers():
        segments.append((leaf, offset, in_range_docset(plan.query, leaf, plan.ranges)))
    count, facet_counts = count_and_facets(
        [(leaf.reader(), docs) for leaf, _offset, docs in segments], facets=facets
    )
    if not count:
        return [], 0, facet_counts
    if sort == "date":
        return _latest(searcher, segments, limit), count, facet_counts
    ranked, allowed = _ranked(plan, segments, count)
    if allowed is None:
        collector = ListTopCollector(limit=limit)
        searcher.search_with_collector(ranked, collector)
        results = collector.results()
    else:
        results = searcher.search(ranked, limit=limit, filter=allowed)
    # Sliced, not list(): list() asks len(), which makes whoosh count every match again.
    return results[: results.scored_length()], count, facet_counts


@dataclass(frozen=True, slots=True)
class _Dated:
    """A hit of a search in date order: a document, without a score (as ``_hit`` reads it)."""

    searcher: Any
    docnum: int
    score: None = None

    def fields(self) -> dict[str, Any]:
        return dict(self.searcher.stored_fields(self.docnum))


def _latest(searcher: Any, segments: list[tuple[Any, int, set[int]]], limit: int) -> list[Any]:
    """The first ``limit`` matches newest first, as whoosh's ``sortedby="day", reverse=True``
    orders them (on one day, the higher document number first), from the matches found."""
    candidates = [
        (day, offset + doc)
        for leaf, offset, docs in segments
        for day, doc in latest(leaf.reader(), docs, limit)
    ]
    return [_Dated(searcher, docnum) for _day, docnum in heapq.nlargest(limit, candidates)]


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
        with open_searcher() as searcher, one_search():
            found, count, facet_counts = _run(searcher, plan, sort=sort, limit=limit, facets=facets)
            terms = matched_terms(compile_positive(parsed), searcher.reader())
            words = highlight_words(terms)
            hits = [
                _hit(h, words=words, access=access, scored=sort == "relevance")
                for h in found[(page - 1) * page_size : limit]
            ]
            suggestion = (
                suggest_query(searcher, query, parsed, filters, access) if suggest else None
            )
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
