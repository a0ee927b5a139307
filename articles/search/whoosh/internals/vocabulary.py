"""A segment's words of one field, kept in memory for "did you mean".

whoosh finds the words one or two edits away from a typed word by walking a
Levenshtein automaton over its on-disk term index, each step a binary search
through the file (about eighteen reads). A word no text has costs every step:
"Jonathan Corbet", an author's name that only bylines hold, took 2,600 steps and
80 ms a search at scale 0.1, more as the vocabulary grows. Here a segment's words
are read once, in order (code point order, which is the index's UTF-8 byte
order), and the same automaton walks them by bisection.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from whoosh.automata.lev import levenshtein_automaton
from whoosh.codec.whoosh3 import W3TermsReader

from articles.search.whoosh.internals.paths import took_fallback, took_fast
from articles.search.whoosh.internals.segment_cache import SegmentCache

_words_cache: SegmentCache[list[str]] = SegmentCache(size=64)


def _read_words(reader: Any, field: str) -> list[str]:
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        took_fallback("vocabulary", f"a {type(terms).__name__}, not a W3TermsReader")
        return [text.decode("utf-8") for text in reader.lexicon(field)]
    took_fast("vocabulary")
    # Keys are the field's number, then the term: the field's keys are one run of them.
    prefix = terms._keycoder(field, b"")
    size = len(prefix)
    words = []
    for key in terms._tindex.keys_from(prefix):
        if key[:size] != prefix:
            break
        words.append(key[size:].decode("utf-8"))
    return words


def segment_words(reader: Any, field: str) -> list[str]:
    """The words of ``field`` in one segment, sorted (read once per segment)."""
    if reader.segment() is None:  # an empty index
        return []
    return _words_cache.get(reader, field, lambda: _read_words(reader, field))


def words_within(reader: Any, field: str, word: str, maxdist: int, prefix: int) -> list[str]:
    """The words of ``field`` in a segment's ``reader`` at most ``maxdist`` edits from
    ``word`` and sharing its first ``prefix`` letters: whoosh's ``terms_within``."""
    words = segment_words(reader, field)
    if not words:
        return []
    dfa = levenshtein_automaton(word, maxdist, prefix).to_dfa()
    found = []
    match = dfa.next_valid_string(words[0])
    while match:
        at = bisect_left(words, match)
        if at == len(words):
            break
        term = words[at]
        if term == match:
            found.append(term)
            term += "\0"
        match = dfa.next_valid_string(term)
    return found
