"""Highlighted snippets: escaped text with ``<mark>`` around the matched words.

Everything from the document is HTML-escaped here, and the only markup
added is ``<mark>``/``</mark>``. That is the guarantee that lets templates
render a snippet with ``|safe``.

Words are matched the way the prose field indexes them (lowercased, accents
folded, stemmed). A snippet shows the text from a little before the first
matched word, and reads only a bounded window of the text around it: the
first match is found by a regular expression for the written forms' possible
beginnings, checked token by token, so a long article costs about what a
short one does.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from articles.search.analysis import PROSE_TOKEN, prose_terms

SNIPPET_CHARS = 240
_CONTEXT = 60  # characters shown before the first mark
_TOKEN = re.compile(PROSE_TOKEN)
_SPACE = re.compile(r"\s")
_NOT_SPACE = re.compile(r"\S")
# The Porter stemmer only rewrites a word's end: the stem and the lowercased word share
# all but at most the stem's last two letters ("abilities" -> "abl", "happy" -> "happi").
_STEM_CHANGES = 2


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


def _flat(text: str, start: int, want: int) -> tuple[str, bool]:
    """The text from ``start`` with its whitespace runs made single spaces, at least
    ``want`` characters of it (all there is when shorter) and ending with a whole
    token; and whether any text follows. Reads about ``want`` characters, not the
    whole text."""
    end = start + want
    while True:
        space = _SPACE.search(text, end)
        end = space.start() if space else len(text)
        flat = " ".join(text[start:end].split())
        if len(flat) >= want or end == len(text):
            return flat, _NOT_SPACE.search(text, end) is not None
        end += want


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of ``text``, escaped, cut at a word boundary."""
    flat, more = _flat(text, 0, limit + 1)
    if len(flat) <= limit and not more:
        return html.escape(flat)
    cut = flat.rfind(" ", 0, limit)
    return html.escape(flat[: cut if cut > limit // 2 else limit]) + " …"


# A written form is a whole token where none goes on after it; the start is checked
# per match (``_starts_token``), so the pattern begins with the forms themselves, which
# lets the regular expression engine skip ahead to their first letters.
_AT_END = r"(?!\w)(?!\.\w)"
_WORD_CHAR = re.compile(r"\w")
# A token with a letter outside ASCII may fold to its stem's letters ("Jürgen" is
# "jurgen"), which an ASCII beginning does not find: those letters are candidates too.
_OUTSIDE_ASCII = "[^\x00-\x7f]"


def _starts_token(text: str, start: int) -> bool:
    """Whether a PROSE_TOKEN scan starts a token at ``start``: not inside a run of word
    characters, nor right after a dot that joins it to the word before."""
    if start == 0 or _WORD_CHAR.match(text, start - 1):
        return start == 0
    return not (text[start - 1] == "." and start > 1 and _WORD_CHAR.match(text, start - 2))


def _token_start(text: str, inside: int) -> int:
    """Where the token holding position ``inside`` starts."""
    start = inside
    while start > 0 and not _starts_token(text, start):
        start -= 1
    return start


@lru_cache(maxsize=1024)
def _beginnings(words: frozenset[str], *, ascii_only: bool) -> re.Pattern[str]:
    """Where, in the lowercased text, a token whose prose form is in ``words`` may
    start (and more, checked token by token). Case-sensitive: far faster to scan."""
    stems = {word[: max(1, len(word) - _STEM_CHANGES)] for word in words}
    alternatives = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
    return re.compile(alternatives if ascii_only else f"{alternatives}|{_OUTSIDE_ASCII}")


def first_match(text: str, words: frozenset[str]) -> int | None:
    """Where the first token whose prose form is in ``words`` starts, if any.

    The same as the first of ``_spans``, reading the text only up to it.
    """
    first = next(_matches(text, words), None) if words else None
    return first[0] if first else None


def _spans(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Where the tokens whose prose form is in ``words`` are, in order: the same spans
    as stemming every token in turn (``_stemmed_spans``)."""
    return list(_matches(text, words)) if words else []


def _matches(text: str, words: frozenset[str]) -> Iterator[tuple[int, int]]:
    """The spans of ``_spans``, one at a time, found from the written forms' possible
    beginnings: only the tokens there are matched and stemmed, a few in a window where
    stemming each of its hundred tokens cost most of a snippet's time."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lowercase is longer: positions move
        yield from _stemmed_spans(text, words)
        return
    beginnings = _beginnings(words, ascii_only=text.isascii())
    position = 0
    while found := beginnings.search(lowered, position):
        start = found.start()
        if not _WORD_CHAR.match(text, start):  # punctuation outside ASCII
            position = start + 1
            continue
        if not found.group().isascii():
            start = _token_start(text, start)
        elif not _starts_token(text, start):
            position = start + 1
            continue
        token = _TOKEN.match(text, start)
        if token is not None and start >= position and _term(token.group()) in words:
            yield token.span()
        position = max(position, token.end() if token is not None else start + 1)


def _stemmed_spans(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """``_spans`` by stemming every distinct token once.

    One regular expression then finds the written forms that matched. A form found
    inside a token ("x.changes") is dropped; no whole token can start inside it, so
    none is missed.
    """
    forms = sorted({t for t in set(_TOKEN.findall(text)) if _term(t) in words}, key=len)
    if not forms:
        return []
    alternatives = "|".join(re.escape(form) for form in reversed(forms))
    found = re.finditer(f"(?:{alternatives}){_AT_END}", text)
    return [m.span() for m in found if _starts_token(text, m.start())]


def snippet(text: str, words: frozenset[str]) -> str:
    """About ``SNIPPET_CHARS`` characters from a little before the first matched word."""
    first = first_match(text, words) if words else None
    if first is None:
        return lead(text)
    # A window from a whole token some way before the match to well past the snippet's
    # end: what the snippet shows is in it, whatever the text's length.
    origin = 0
    if first > 2 * _CONTEXT:
        space = _SPACE.search(text, first - 2 * _CONTEXT, first)
        origin = space.end() if space else first
    window, more = _flat(text, origin, first - origin + SNIPPET_CHARS)
    spans = _spans(window, words)
    start = spans[0][0]
    begin = max(0, window.rfind(" ", 0, max(0, start - _CONTEXT)) + 1) if start > _CONTEXT else 0
    stop = min(len(window), begin + SNIPPET_CHARS)
    cut = stop < len(window) or more
    if cut and (space_at := window.rfind(" ", begin, stop)) > start:
        stop = space_at
    before = begin > 0 or (origin > 0 and _NOT_SPACE.search(text, 0, origin) is not None)
    out = ["… " if before else ""]
    position = begin
    for first_char, last_char in spans:
        if first_char < position or last_char > stop:
            continue
        out += [html.escape(window[position:first_char]), "<mark>"]
        out += [html.escape(window[first_char:last_char]), "</mark>"]
        position = last_char
    out.append(html.escape(window[position:stop]) + (" …" if stop < len(window) or more else ""))
    return "".join(out)


def marked_title(title: str, words: frozenset[str]) -> str | None:
    """``title``, escaped, with its matched words marked; None when none is."""
    spans = _spans(title, words) if words else []
    if not spans:
        return None
    out, position = [], 0
    for first_char, last_char in spans:
        out += [html.escape(title[position:first_char]), "<mark>"]
        out += [html.escape(title[first_char:last_char]), "</mark>"]
        position = last_char
    return "".join(out) + html.escape(title[position:])


TITLE_SEPARATOR = " — "


def with_title(title_html: str | None, text_snippet: str) -> str:
    """A hit found by its title alone: the title with its matches marked, then the text's
    start, so the snippet shows why it was found. Any other hit: its text's snippet."""
    if title_html is None or "<mark>" in text_snippet:
        return text_snippet
    return f"{title_html}{TITLE_SEPARATOR}{text_snippet}"


def locked_snippet(free_on: dt.date | None) -> str:
    if free_on is None:
        return "Subscriber-only text."
    return html.escape(f"Subscriber-only until {free_on:%B} {free_on.day}, {free_on.year}.")
