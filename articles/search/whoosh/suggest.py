""" "Did you mean" on the whoosh index, from text the reader may read only.

The ``vocab`` field lists the words of every document, subscriber-only ones too,
so every word is checked against what the reader may read, by the paywall rule
of ``plan.plan_search``: a typed word counts as missing when no readable
document has it, and a correction is the best candidate some readable document
has. A reader without the subscriber permission so gets the same answer as if
locked text were not in the index.
"""

from __future__ import annotations

from typing import Any

from articles.search.analysis import identifier_form, prose_terms
from articles.search.errors import SearchError
from articles.search.query import Clause, ParsedQuery, Text, edit_distance, parse_query
from articles.search.results import Access, SearchFilters
from articles.search.whoosh.compile import locked_query
from articles.search.whoosh.internals.docsets import docset, in_range_docset
from articles.search.whoosh.internals.vocabulary import words_within
from articles.search.whoosh.plan import plan_search


class Readable:
    """Which words documents the reader may read contain, in one searcher."""

    def __init__(self, searcher: Any, access: Access) -> None:
        self.searcher = searcher
        self.access = access
        self._hidden: dict[int, int] = {}  # per segment: locked plus deleted documents

    def has(self, word: str, field: str = "any") -> bool:
        """Whether a readable document has ``word`` (in its title, with ``field`` title)."""
        terms = prose_terms(word)
        if len(terms) != 1:
            return False
        name = "title" if field == "title" else "body"  # body indexes the title too
        if self.access.can_read:
            return bool(self.searcher.reader().doc_frequency(name, terms[0]))
        plan: Any = None
        for number, (leaf, _offset) in enumerate(self.searcher.leaf_searchers()):
            frequency = leaf.reader().doc_frequency(name, terms[0])
            if not frequency:
                continue
            # More documents have it than are hidden: one of them is free (no set to build).
            if frequency > self._hidden_in(number, leaf):
                return True
            if plan is None:
                try:
                    single = ParsedQuery([Clause([Text(word, field=field)])])
                    plan = plan_search(single, SearchFilters(), self.access)
                except SearchError:  # only stop words
                    return False
            if docset(plan.query, leaf):
                return True
        return False

    def _hidden_in(self, number: int, leaf: Any) -> int:
        if number not in self._hidden:
            reader = leaf.reader()
            locked = len(docset(locked_query(self.access.today), leaf))
            self._hidden[number] = locked + reader.doc_count_all() - reader.doc_count()
        return self._hidden[number]


def _closest(searcher: Any, word: str, field: str, readable: Readable) -> str | None:
    """The most frequent readable word one or two edits away from ``word``."""
    reader = searcher.reader()

    def rank(candidate: str) -> tuple[int, int, str]:
        terms = prose_terms(candidate)
        frequency = reader.doc_frequency("body", terms[0]) if terms else 0
        return (edit_distance(word, candidate), -frequency, candidate)

    for maxdist in (1, 2):
        candidates: set[str] = set()
        # Per segment: a Levenshtein automaton walks the segment's word list.
        for leaf, _offset in searcher.leaf_searchers():
            candidates.update(words_within(leaf.reader(), "vocab", word, maxdist, prefix=1))
        candidates.discard(word)
        for candidate in sorted(candidates, key=rank):
            if readable.has(candidate, field):
                return candidate
    return None


def suggestion(
    searcher: Any, query: str, parsed: ParsedQuery, filters: SearchFilters, access: Access
) -> str | None:
    """A corrected query when a word is in no readable document and a close word is."""
    readable = Readable(searcher, access)
    replacements: list[tuple[int, int, str]] = []
    for clause in parsed.positive:
        for node in clause.alternatives:
            if not isinstance(node, Text) or node.field not in ("any", "title") or node.phrase:
                continue
            if identifier_form(node.text) is not None or len(prose_terms(node.text)) != 1:
                continue
            if readable.has(node.text):
                continue
            better = _closest(searcher, node.text.lower(), node.field, readable)
            if better is not None:
                replacements.append((node.span[1] - len(node.text), node.span[1], better))
    if not replacements:
        return None
    corrected = query
    for start, end, word in sorted(replacements, reverse=True):
        corrected = corrected[:start] + word + corrected[end:]
    # Every word put in is readable; the whole query must also find something the
    # reader may see, or the suggestion leads nowhere.
    check = plan_search(parse_query(corrected), filters, access)
    for leaf, _offset in searcher.leaf_searchers():
        if in_range_docset(check.query, leaf, check.ranges):
            return corrected
    return None
