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
# PostgreSQL's English stop words (tsearch_data/english.stop, the Snowball list), so a
# word is dropped, or kept, alike on both engines: whoosh's own list keeps "all" and
# "other" and drops "may" and "yet", and drops every one-letter word.
_STOP_LIST = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what "
    "which who whom this that these those am is are was were be been being have has had "
    "having do does did doing a an the and but if or because as until while of at by for "
    "with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how "
    "all any both each few more most other some such no nor not only own same so than too "
    "very s t can will just don should now"
)
STOP_WORDS = frozenset(_STOP_LIST.split())
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


class IdentifierPartsFilter(Filter):
    """At index time, a dotted or snake_case name is also indexed as each of its parts.

    The prose tokenizer keeps "vm.swappiness" and "landlock_create_ruleset" whole (so
    phrases and the identifier stay exact), but a reader searching the plain word
    "swappiness" or "landlock" means the knob and the system call too, and
    PostgreSQL's parser finds them that way: it splits at underscores, and
    ``lwnkb_prose`` adds the parts of dotted names. The parts share the whole
    name's position, so phrases are unchanged, and queries are never split:
    "vm.swappiness" still asks for the whole name.
    """

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            text = token.text
            yield token
            if token.mode != "index":
                continue
            for part in identifier_parts(text):
                token.text = part
                yield token
            token.text = text


def identifier_parts(text: str) -> list[str]:
    """The words a prose token is also indexed as: "vm.overcommit_memory" gives
    "vm", "overcommit_memory", "overcommit" and "memory"; a plain word none.

    Only names are split at dots ("vm.swappiness", "file.c"): a version ("5.8")
    stays whole, as PostgreSQL's parser keeps it. Underscores always split, as
    they do in PostgreSQL's parser.
    """
    dotted = text.split(".") if "." in text and _NAME_START.match(text) else [text]
    parts = dotted if len(dotted) > 1 else []
    for piece in dotted:
        if "_" in piece:
            parts += piece.split("_")
    return [part for part in dict.fromkeys(parts) if part and part != text]


def identifier_analyzer() -> Analyzer:
    return RegexTokenizer(IDENTIFIER_PATTERN) | IdentifierFilter()


def prose_analyzer() -> Analyzer:
    """English prose: words, lowercased, accents folded, stop words dropped, stemmed.

    Dotted and snake_case names are indexed whole and by their parts
    (:class:`IdentifierPartsFilter`).
    """
    # Accents are folded before stemming so "Jurgen" finds "Jürgen".
    return (
        RegexTokenizer(PROSE_TOKEN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | IdentifierPartsFilter()
        # renumber=False: a dropped stop word still takes its position, so the phrase
        # "page cache" does not match "page the cache".
        | StopFilter(STOP_WORDS, minsize=1, renumber=False)
        | StemFilter()
    )


class PairsFilter(Filter):
    """Each word next to a common word, as one token "word word" at the first one's position.

    This is Lucene's common-grams idea: a phrase with a common word ("page cache",
    "significant changes") reads the rare pair's positions instead of every position
    of the common word, which at full size means decoding blocks of thousands of
    documents. Every pair of adjacent positions is written where either side is
    common; a position may hold several words (a name and its parts), and each of
    them pairs. Stop words keep their place (a gap), so "page of cache" gives no pair.
    """

    def __init__(self, common: frozenset[str]) -> None:
        self.common = common

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        at: dict[int, dict[str, None]] = {}
        token = None
        for token in tokens:
            at.setdefault(token.pos, {})[token.text] = None
        if token is None:
            return
        common = self.common
        for pos, words in at.items():
            following = at.get(pos + 1)
            if following is None:
                continue
            for first in words:
                for second in following:
                    if first in common or second in common:
                        token.text, token.pos = f"{first} {second}", pos
                        yield token


def name_analyzer() -> Analyzer:
    """Names and headings (authors, sections): words, lowercased, no stemming."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


PROSE = prose_analyzer()
IDENTIFIER = identifier_analyzer()
NAME = name_analyzer()


def prose_terms(text: str) -> list[str]:
    """The prose field's terms for ``text`` (what a query word must equal)."""
    return [token.text for token in PROSE(text)]


# Words kernel-development prose uses on most pages, chosen by hand for that (not from
# the benchmark's generator), stemmed as the prose field stems them. Each is paired
# with its neighbours in the index (:class:`PairsFilter`): more words here make more
# phrases fast and the index larger (docs/performance.md, "Phrases with a common word").
COMMON_WORDS = frozenset(
    prose_terms(
        "kernel change patch system code developer user file memory support process call"
        " device driver new would also like need use make time work one could may way see"
        " provide allow add implement feature interface data performance problem version"
        " release merge mainline maintainer function option value test fix bug security"
        " space page cache lock network hardware application program structure access"
        " control set get point case example exist result different mean first current"
        " number discussion proposal look thing many even well still right know think"
        " want seem possible approach list tree subsystem commit review thread linux"
        " open free software project community year question"
    )
)


def pairs_analyzer() -> Analyzer:
    """The prose analyzer's words, as pairs of neighbours where one is common."""
    return prose_analyzer() | PairsFilter(COMMON_WORDS)


PAIRS = pairs_analyzer()


def prose_phrase(text: str) -> list[tuple[str, int]]:
    """The prose terms of a phrase with their offsets from the first (stop words leave gaps)."""
    tokens = [(token.text, token.pos) for token in PROSE(text, positions=True)]
    return [(term, pos - tokens[0][1]) for term, pos in tokens] if tokens else []


def name_terms(text: str) -> list[str]:
    return [token.text for token in NAME(text)]
