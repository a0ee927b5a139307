"""Exact phrases, checked in bulk from the positions of their words.

whoosh's own phrase matcher walks every document holding all the words
through its generic span machinery, several microseconds per document in
Python. Here the candidates are intersected as sets, each word's positions are
read a block at a time, and a document matches when some start position has
every following word right after it. A phrase query is then
``VerifiedPhrase``, scored as one word.

A body phrase with a common word reads the index's pairs of neighbouring words
instead (``analysis.PairsFilter``): "significant changes pulled" is "significant
change" followed by "change pulled", two seldom terms, where the words alone
would decode the positions of "change" in every block holding the others.
Both ways find the same documents, each the same number of times.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Protocol

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from articles.search.analysis import COMMON_WORDS
from articles.search.whoosh.internals.lengths import LengthsReader, length_lookup
from articles.search.whoosh.internals.paths import took_fast
from articles.search.whoosh.internals.postings import PostingsReader, positions, term_values
from articles.search.whoosh.schema import PAIRS_FIELD


class PhraseReader(PostingsReader, LengthsReader, Protocol):
    """What phrase checks and scores ask of a segment reader."""

    def doc_count(self) -> int: ...
    def doc_frequency(self, fieldname: str, text: Any) -> int: ...
    def field_length(self, fieldname: str) -> int: ...


def segment_key(reader: PhraseReader) -> str:
    return str(reader.segment().segment_id())


# BM25's constants, as whoosh scores words (a phrase is scored like one word).
_K1, _B = 1.2, 0.75


# Where a phrase's word (or pair of words) must be: (field, term, offset from the start).
Lookup = tuple[str, str, int]


def lookups(
    field: str, terms: Sequence[tuple[str, int]], *, pairs: str | None = None
) -> list[Lookup]:
    """What to read for the phrase ``terms`` of ``field``: with a ``pairs`` field, each
    two neighbours of which one is common as their pair, the other words as themselves."""
    found: list[Lookup] = []
    paired: set[int] = set()
    if pairs is not None:
        for i, ((first, at), (second, next_at)) in enumerate(itertools.pairwise(terms)):
            if next_at == at + 1 and (first in COMMON_WORDS or second in COMMON_WORDS):
                found.append((pairs, f"{first} {second}", at))
                paired |= {i, i + 1}
    found += [(field, word, at) for i, (word, at) in enumerate(terms) if i not in paired]
    return found


def phrase_matches(reader: PhraseReader, wanted_at: Sequence[Lookup]) -> list[tuple[int, int]]:
    """(document, occurrences) of the phrase, by document, in one segment.

    Each term sits at its offset from the phrase's start; offsets are consecutive
    except where the query had a stop word, which the index skips but counts.
    """
    # The rarest term's positions first, then each other term's only in the documents
    # left: the blocks of a common word that hold none of them are passed over unread.
    terms = sorted({(f, t) for f, t, _ in wanted_at}, key=lambda ft: reader.doc_frequency(*ft))
    found_in: dict[tuple[str, str], dict[int, bytes]] = {}
    wanted: AbstractSet[int] | None = None
    for field, text in terms:
        values = found_in[field, text] = term_values(reader, field, text, wanted)
        wanted = values.keys() if wanted is None else wanted & values.keys()
        if not wanted:
            return []
    assert wanted is not None  # a phrase has words
    found = []
    for doc in sorted(wanted):
        starts: set[int] | None = None
        for field, text, offset in wanted_at:
            here = {p - offset for p in positions(found_in[field, text][doc])}
            starts = here if starts is None else starts & here
            if not starts:
                break
        if starts:
            found.append((doc, len(starts)))
    return found


def _scores(
    segment: PhraseReader,
    whole: PhraseReader,
    field: str,
    matches: list[tuple[int, int]],
    found: int,
) -> list[float]:
    """BM25 of the phrase as a whole: how often it occurs, for the document's length.

    The statistics are the whole index's (``whole``; ``found`` documents hold the
    phrase in all its segments), as whoosh's own scores are, so a document scores
    the same however the index is split into segments.
    """
    documents = max(whole.doc_count(), 1)
    average = max(whole.field_length(field) / documents, 1.0)
    idf = math.log(1 + (documents - found + 0.5) / (found + 0.5))
    length_of = length_lookup(segment, field)
    scores = []
    for doc, count in matches:
        length = length_of(doc) / average
        scores.append(idf * count * (_K1 + 1) / (count + _K1 * (1 - _B + _B * length)))
    return scores


class _DocList(ListMatcher):
    """Matches a checked phrase's documents with their phrase scores.

    Its quality is unbounded so that whoosh's pruning never replaces it (in an
    AND, whoosh then keeps only the other side, which would drop the phrase).
    """

    def max_quality(self) -> float:
        return float("inf")

    def block_quality(self) -> float:
        return float("inf")

    def supports_block_quality(self) -> bool:
        return False

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else NullMatcher()


class VerifiedPhrase(wq.Query):
    """Documents holding ``terms`` as a phrase in ``field``, scored as one word.

    Checked once per segment and search (the query object lives for one search).
    """

    def __init__(self, fieldname: str, terms: Sequence[tuple[str, int]]) -> None:
        self.fieldname = fieldname
        self.terms = tuple(terms)
        self.words = tuple(word for word, _offset in terms)
        self.boost = 1.0
        self._found: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.fieldname!r}, {self.terms!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VerifiedPhrase):
            return False
        return (self.fieldname, self.terms) == (other.fieldname, other.terms)

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.fieldname, self.terms))

    def _in(self, reader: PhraseReader) -> tuple[list[int], list[tuple[int, int]]]:
        """The segment's documents holding the phrase, and (document, occurrences)."""
        key = segment_key(reader)
        with self._lock:
            if key not in self._found:
                took_fast("phrases")
                # Only the body has pairs (an index without them is outdated: not searched).
                pairs = PAIRS_FIELD if self.fieldname == "body" else None
                matches = phrase_matches(reader, lookups(self.fieldname, self.terms, pairs=pairs))
                self._found[key] = ([doc for doc, _count in matches], matches)
            return self._found[key]

    def docs_in(self, reader: PhraseReader) -> list[int]:
        return self._in(reader)[0]

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())

    def scored(self, searcher: Any) -> tuple[list[int], list[float]]:
        """The documents of one segment's ``searcher`` holding the phrase, and their scores."""
        docs, matches = self._in(searcher.reader())
        if not docs:
            return [], []
        # Every segment's check is needed for the phrase's document frequency; the
        # search visits them all anyway, and each is checked once per search.
        whole = searcher.get_parent().reader()
        found = sum(len(self.docs_in(leaf)) for leaf, _offset in whole.leaf_readers())
        return docs, _scores(searcher.reader(), whole, self.fieldname, matches, found)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docs, scores = self.scored(searcher)
        return _DocList(docs, weights=scores) if docs else NullMatcher()


def phrase_query(field: str, terms: Sequence[tuple[str, int]]) -> Any:
    return VerifiedPhrase(field, terms)
