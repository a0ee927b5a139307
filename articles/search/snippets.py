"""Highlighted snippets: escaped text with ``<mark>`` around the matched words.

Everything from the document is HTML-escaped here, and the only markup
added is ``<mark>``/``</mark>``. That is the guarantee that lets templates
render a snippet with ``|safe``.

Words are matched the way the prose field indexes them (lowercased, accents
folded, stemmed), with one C-level regex scan and a cached stemmer rather than
the full analyzer chain, so highlighting stays cheap on long articles.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from articles.search.analysis import PROSE_TOKEN, prose_terms

SNIPPET_CHARS = 240
_CONTEXT = 60  # characters shown before the first mark
_TOKEN = re.compile(PROSE_TOKEN)


@lru_cache(maxsize=100_000)
def _term(word: str) -> str:
    return str(stem(word.lower().translate(accent_map)))


def highlight_words(terms: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Prose-field forms of a query's terms, to find them in the body text."""
    words: set[str] = set()
    for field, text in terms:
        if field in ("title", "body"):
            words.add(text)
        elif field in ("title_ident", "ident"):
            words.update(prose_terms(text))
    return frozenset(words)


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of ``text``, escaped, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return html.escape(text)
    cut = text.rfind(" ", 0, limit)
    return html.escape(text[: cut if cut > limit // 2 else limit]) + " …"


def _window(spans: list[tuple[int, int]]) -> int:
    """Index of the match that starts the window holding the most matches."""
    best, best_count, end = 0, 0, 0
    for first in range(len(spans)):
        end = max(end, first)
        while end < len(spans) and spans[end][1] - spans[first][0] <= SNIPPET_CHARS - _CONTEXT:
            end += 1
        if end - first > best_count:
            best, best_count = first, end - first
    return best


# A written form is a whole token where none goes on after it; the start is checked
# per match (``_starts_token``), so the pattern begins with the forms themselves, which
# lets the regular expression engine skip ahead to their first letters.
_AT_END = r"(?!\w)(?!\.\w)"
_WORD_CHAR = re.compile(r"\w")


def _starts_token(text: str, start: int) -> bool:
    """Whether a PROSE_TOKEN scan starts a token at ``start``: not inside a run of word
    characters, nor right after a dot that joins it to the word before."""
    if start == 0 or _WORD_CHAR.match(text, start - 1):
        return start == 0
    return not (text[start - 1] == "." and start > 1 and _WORD_CHAR.match(text, start - 2))


def _spans(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Where the tokens whose prose form is in ``words`` are, in order.

    The same spans as stemming every token in turn, at a fraction of the cost on a
    long text: the distinct tokens are stemmed once each, then one regular
    expression finds the written forms that matched. A form found inside a token
    ("x.changes") is dropped; no whole token can start inside it, so none is missed.
    """
    forms = sorted({t for t in set(_TOKEN.findall(text)) if _term(t) in words}, key=len)
    if not forms:
        return []
    alternatives = "|".join(re.escape(form) for form in reversed(forms))
    found = re.finditer(f"(?:{alternatives}){_AT_END}", text)
    return [m.span() for m in found if _starts_token(text, m.start())]


def snippet(text: str, words: frozenset[str]) -> str:
    """About ``SNIPPET_CHARS`` characters around the densest run of matched words."""
    text = " ".join(text.split())
    spans = _spans(text, words) if words else []
    if not spans:
        return lead(text)
    start = spans[_window(spans)][0]
    begin = max(0, text.rfind(" ", 0, max(0, start - _CONTEXT)) + 1) if start > _CONTEXT else 0
    stop = min(len(text), begin + SNIPPET_CHARS)
    if stop < len(text) and (space := text.rfind(" ", begin, stop)) > start:
        stop = space
    out = ["… " if begin else ""]
    position = begin
    for first, last in spans:
        if first < position or last > stop:
            continue
        out += [html.escape(text[position:first]), "<mark>", html.escape(text[first:last])]
        out.append("</mark>")
        position = last
    out.append(html.escape(text[position:stop]) + (" …" if stop < len(text) else ""))
    return "".join(out)


def locked_snippet(free_on: dt.date | None) -> str:
    if free_on is None:
        return "Subscriber-only text."
    return html.escape(f"Subscriber-only until {free_on:%B} {free_on.day}, {free_on.year}.")
