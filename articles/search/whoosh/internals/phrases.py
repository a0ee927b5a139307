"""Exact phrases, checked in bulk from the positions of their words.

whoosh's own phrase matcher walks every document holding all the words
through its generic span machinery, several microseconds per document in
Python. Here the candidates are intersected as sets, each word's positions are
read a block at a time, and a document matches when some start position has
every following word right after it. A phrase query is then
``And(words…, VerifiedPhrase)``: the words give the score, ``VerifiedPhrase``
restricts the matches to the checked documents.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Protocol

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from articles.search.whoosh.internals.lengths import LengthsReader, length_lookup
from articles.search.whoosh.internals.paths import took_fast
from articles.search.whoosh.internals.postings import PostingsReader, positions, term_values


class PhraseReader(PostingsReader, LengthsReader, Protocol):
    """What phrase checks and scores ask of a segment reader."""

    def doc_count(self) -> int: ...
    def doc_frequency(self, fieldname: str, text: Any) -> int: ...
    def field_length(self, fieldname: str) -> int: ...


def segment_key(reader: PhraseReader) -> str:
    return str(reader.segment().segment_id())


# BM25's constants, as whoosh scores words (a phrase is scored like one word).
_K1, _B = 1.2, 0.75


def phrase_matches(
    reader: PhraseReader, field: str, terms: Sequence[tuple[str, int]]
) -> list[tuple[int, int]]:
    """(document, occurrences) of the phrase, by document, in one segment.

    Each term sits at its offset from the first; offsets are consecutive except
    where the query had a stop word, which the index skips but counts.
    """
    # The rarest word's positions first, then each other word's only in the documents
    # left: the blocks of a common word that hold none of them are passed over unread.
    words = sorted({w for w, _ in terms}, key=lambda w: reader.doc_frequency(field, w))
    found_in: dict[str, dict[int, bytes]] = {}
    wanted: AbstractSet[int] | None = None
    for word in words:
        found_in[word] = term_values(reader, field, word, wanted)
        wanted = found_in[word].keys() if wanted is None else wanted & found_in[word].keys()
        if not wanted:
            return []
    assert wanted is not None  # a phrase has words
    by_doc = {doc: [found_in[word][doc] for word, _offset in terms] for doc in wanted}
    offsets = [offset for _word, offset in terms]
    found = []
    for doc in sorted(by_doc):
        first, *rest = by_doc[doc]
        starts = set(positions(first))
        for offset, value in zip(offsets[1:], rest, strict=True):
            starts &= {p - offset for p in positions(value)}
            if not starts:
                break
        if starts:
            found.append((doc, len(starts)))
    return found


def _scores(reader: PhraseReader, field: str, matches: list[tuple[int, int]]) -> list[float]:
    """BM25 of the phrase as a whole: how often it occurs, for the document's length."""
    documents = max(reader.doc_count(), 1)
    average = max(reader.field_length(field) / documents, 1.0)
    idf = math.log(1 + (documents - len(matches) + 0.5) / (len(matches) + 0.5))
    length_of = length_lookup(reader, field)
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
        self._found: dict[str, tuple[list[int], list[float]]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.fieldname!r}, {self.terms!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VerifiedPhrase):
            return False
        return (self.fieldname, self.terms) == (other.fieldname, other.terms)

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.fieldname, self.terms))

    def _in(self, reader: PhraseReader) -> tuple[list[int], list[float]]:
        key = segment_key(reader)
        with self._lock:
            if key not in self._found:
                took_fast("phrases")
                matches = phrase_matches(reader, self.fieldname, self.terms)
                docs = [doc for doc, _count in matches]
                self._found[key] = (docs, _scores(reader, self.fieldname, matches))
            return self._found[key]

    def docs_in(self, reader: PhraseReader) -> list[int]:
        return self._in(reader)[0]

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docs, scores = self._in(searcher.reader())
        return _DocList(docs, weights=scores) if docs else NullMatcher()


def phrase_query(field: str, terms: Sequence[tuple[str, int]]) -> Any:
    return VerifiedPhrase(field, terms)
