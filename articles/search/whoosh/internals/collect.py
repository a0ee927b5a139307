"""The top of a ranking taken from a scored list at once.

whoosh's ``TopCollector`` walks its matcher one match at a time in Python:
``matches()`` yields each document, ``collect()`` asks its score and pushes it on
a heap, a few microseconds a match. Where the matcher is one list of (document,
score) (``prefixes.ScoredList``: identifiers, prefixes, their locked texts left
out) and block skipping prunes little, as for an identifier whose scores hardly
differ (8,174 of ``CAP_MKNOD``'s 10,229 matches collected one by one at full
size), the list's best are taken at once with ``heapq.nlargest``. The order is
whoosh's: the highest score first, and on equal scores the lower document number
(the heap's ``(score, -docnum)``, which whoosh's sequential pushes also keep).
"""

from __future__ import annotations

import heapq
from heapq import heappush, heapreplace
from operator import neg

from whoosh.collectors import TopCollector

from articles.search.whoosh.internals.prefixes import ScoredList


class ListTopCollector(TopCollector):
    """``TopCollector``, taking a ``ScoredList``'s matches in one step."""

    def collect_matches(self) -> None:
        matcher = self.matcher
        if not isinstance(matcher, ScoredList) or self.final_fn:
            super().collect_matches()
            return
        ids, scores = matcher.remaining()
        matcher.exhaust()
        self.total += len(ids)
        negated = map(neg, (self.offset + doc for doc in ids))
        items = self.items
        for score, minus_doc in heapq.nlargest(self.limit, zip(scores, negated, strict=True)):
            if len(items) < self.limit:
                heappush(items, (score, minus_doc))
            elif (score, minus_doc) > items[0]:
                heapreplace(items, (score, minus_doc))
            else:
                break  # in order: the rest rank lower still
        if len(items) == self.limit:
            self.minscore = items[0][0]
