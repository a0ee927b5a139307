"""``Or`` of a main part and parts that seldom match anything.

A reader without the subscription searches ``Or([unlocked texts, locked titles])``
(``compile.visible_query``); the second part, ``And([title words, LockedOn,
type:article])``, matches only locked articles whose title has the words: none
in most segments. whoosh still builds its matcher (an intersection that skips
through ``type:article``'s postings block header by block header, thousands of
them at full size, to find its first match) and a ``UnionMatcher`` over both,
which the collector then asks, for every match of the first part, which part is
current and what both score. Here a later part's documents are found first with
set operations (``docsets``: the locked texts are a cached set), and a part with
none in the segment is left out, so the collector walks the main part's own
matcher (often one scored list).
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import NullMatcher, UnionMatcher

from articles.search.whoosh.internals.docsets import docset


class Either(wq.Or):
    """``wq.Or([main, seldom…])``: the same matches and scores (a union scores the sum of
    the parts that match), without the seldom parts that match nothing in a segment."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if not searcher.is_atomic() or self.boost != 1 or self.minmatch or self.scale:
            return super().matcher(searcher, context)
        main, *seldom = self.subqueries
        parts = [main] + [q for q in seldom if docset(q, searcher)]
        found = [m for m in (q.matcher(searcher, context) for q in parts) if m.is_active()]
        if not found:
            return NullMatcher()
        matcher = found[0]
        for other in found[1:]:
            matcher = UnionMatcher(matcher, other)
        return matcher
