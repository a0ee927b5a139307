"""The documents a query matches, as sets of document numbers, for totals and facets.

Ranking needs scores for the top of the list only, and whoosh finds those
quickly by skipping blocks that cannot enter it. The total and the facets need
every match but no score: walking whoosh's matchers for them costs about a
microsecond per posting in Python. Here term postings are read a block at a
time (``postings``) and combined with set operations, which run in C; phrases come checked
(``phrases.VerifiedPhrase``). Query shapes this module does not know (numeric
ranges inside an OR) fall back to whoosh's matcher.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from articles.search.whoosh.internals.phrases import VerifiedPhrase
from articles.search.whoosh.internals.postings import term_docs


def docset(query: Any, searcher: Any) -> set[int]:
    """Segment-local numbers of the documents ``query`` matches in a leaf ``searcher``."""
    reader = searcher.reader()
    if isinstance(query, wq.Term):
        return term_docs(reader, query.fieldname, query.text)
    if isinstance(query, VerifiedPhrase):
        return set(query.docs_in(reader))
    if isinstance(query, wq.AndMaybe):
        return docset(query.a, searcher)  # the optional part only changes scores
    if isinstance(query, wq.Prefix):
        found: set[int] = set()
        for text in query._btexts(reader):  # bounded for BoundedPrefix
            found |= term_docs(reader, query.fieldname, text)
        return found
    if isinstance(query, wq.Or):
        found = set()
        for child in query.subqueries:
            found |= docset(child, searcher)
        return found
    if isinstance(query, wq.And):
        wanted = [q for q in query.subqueries if not isinstance(q, wq.Not)]
        unwanted = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
        if not wanted:
            return set(query.docs(searcher))
        # Matcher fallbacks last: by then there may be nothing left to intersect.
        wanted.sort(key=lambda q: isinstance(q, wq.NumericRange))
        found = docset(wanted[0], searcher)
        for child in wanted[1:]:
            if not found:
                break
            found &= docset(child, searcher)
        for child in unwanted:
            if not found:
                break
            found -= docset(child, searcher)
        return found
    if isinstance(query, wq.Every):
        return set(reader.all_doc_ids())
    return set(query.docs(searcher))
