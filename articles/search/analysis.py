"""Analyzers: English stemming for prose, and whole kernel identifiers.

Prose goes through a stemmer so "capabilities" finds "capability". Kernel
identifiers would not survive that (``io_uring`` stems to ``io_ur``, and a
tokenizer splitting on ``_`` or ``.`` would lose ``CAP_PERFMON`` or
``memory.swap.high``), so every text is also indexed into an identifier field
that keeps identifiers whole, lowercased and unstemmed. Queries that look like
identifiers search that field only, which makes them exact.

Changing anything here changes what is in the index: bump
``whoosh/schema.py``'s ``SCHEMA_VERSION`` so ``lwn_reindex --if-needed`` rebuilds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

# Only identifier-shaped tokens: a C identifier with an underscore, a digit or a dot
# (io_uring, faccessat2, memory.swap.high), any name written as a call (tee()), or a
# /proc, /sys or /dev path. Plain words never match, so indexing prose costs little.
IDENTIFIER_PATTERN = (
    r"/(?:proc|sys|dev)(?:/[\w.-]+)+"
    r"|(?<![\w.])(?=_|[A-Za-z][A-Za-z0-9_]*(?:[_0-9]|\.[A-Za-z0-9_]|\(\)))"
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?:\(\))?"
)
_IDENTIFIER_RE = re.compile(IDENTIFIER_PATTERN)
# Words, keeping dotted names together ("memory.swap.high" is one token).
PROSE_TOKEN = r"\w+(?:\.?\w+)*"  # noqa: S105 (a pattern, not a password)
_NAME_START = re.compile(r"[^\W\d]")


def identifier_form(word: str) -> str | None:
    """The indexed form of ``word`` if it reads as a kernel identifier, else None.

    An identifier has an underscore, a dot or a digit, is written as a call
    (``tee()``) or is a path. Plain words ("kernel", "DAX") are left to the
    stemmed prose fields, so case never decides which field a word goes to.
    """
    word = word.rstrip(".,;:")
    if not _IDENTIFIER_RE.fullmatch(word):
        return None
    return word.removesuffix("()").lower()


class IdentifierFilter(Filter):
    """Puts what the identifier tokenizer found in indexed form (see :func:`identifier_form`)."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            # The tokenizer only yields identifier shapes: lowercase, drop "()" and a
            # path's sentence-ending dot.
            token.text = token.text.removesuffix("()").rstrip(".").lower()
            yield token


class DottedPartsFilter(Filter):
    """At index time, a dotted name is also indexed as each of its parts.

    The prose tokenizer keeps "vm.swappiness" whole (so the phrase and the
    identifier stay exact), but a reader searching the plain word
    "swappiness" means the knob too; PostgreSQL's parser finds it that way.
    The parts share the whole name's position, so phrases are unchanged, and
    queries are never split: "vm.swappiness" still asks for the whole name.
    """

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            text = token.text
            yield token
            # Only names ("vm.swappiness", "file.c"): a version ("5.8") stays whole, as
            # PostgreSQL's parser keeps it.
            if token.mode != "index" or "." not in text or not _NAME_START.match(text):
                continue
            for part in text.split("."):
                if part:
                    token.text = part
                    yield token
            token.text = text


def identifier_analyzer() -> Analyzer:
    return RegexTokenizer(IDENTIFIER_PATTERN) | IdentifierFilter()


def prose_analyzer() -> Analyzer:
    """English prose: words, lowercased, accents folded, stop words dropped, stemmed.

    Dotted names are indexed whole and by their parts (:class:`DottedPartsFilter`).
    """
    # Accents are folded before stemming so "Jurgen" finds "Jürgen".
    return (
        RegexTokenizer(PROSE_TOKEN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | DottedPartsFilter()
        # renumber=False: a dropped stop word still takes its position, so the phrase
        # "page cache" does not match "page the cache".
        | StopFilter(renumber=False)
        | StemFilter()
    )


def name_analyzer() -> Analyzer:
    """Names and headings (authors, sections): words, lowercased, no stemming."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


PROSE = prose_analyzer()
IDENTIFIER = identifier_analyzer()
NAME = name_analyzer()


def prose_terms(text: str) -> list[str]:
    """The prose field's terms for ``text`` (what a query word must equal)."""
    return [token.text for token in PROSE(text)]


def prose_phrase(text: str) -> list[tuple[str, int]]:
    """The prose terms of a phrase with their offsets from the first (stop words leave gaps)."""
    tokens = [(token.text, token.pos) for token in PROSE(text, positions=True)]
    return [(term, pos - tokens[0][1]) for term, pos in tokens] if tokens else []


def name_terms(text: str) -> list[str]:
    return [token.text for token in NAME(text)]
