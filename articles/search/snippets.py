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


def snippet(text: str, words: frozenset[str]) -> str:
    """About ``SNIPPET_CHARS`` characters around the densest run of matched words."""
    text = " ".join(text.split())
    spans = [m.span() for m in _TOKEN.finditer(text) if _term(m.group()) in words] if words else []
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
