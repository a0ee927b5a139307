"""The query language both engines take, parsed into a small tree each engine compiles.

Syntax (also shown on the search page and in the API schema, see ``SYNTAX_HELP``):
words (all must match), ``"exact phrases"``, ``OR`` between two terms,
``-exclusion``, ``prefix*``, and qualifiers ``title:``, ``author:``, ``type:``,
``section:``, ``release:`` (``5.8``, ``>=6.1``), ``before:``/``after:``
(``YYYY-MM-DD``, inclusive) and ``entity:``. Every mistake raises
:class:`SearchError` with a message meant for the person who typed it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from articles.search.errors import SearchError

DOCUMENT_TYPES = ("article", "merge", "hardware", "comment")
MAX_QUERY_LENGTH = 500
MAX_TERMS = 40
MIN_PREFIX_LENGTH = 2

TEXT_QUALIFIERS = ("title", "author", "section")
QUALIFIERS = (*TEXT_QUALIFIERS, "type", "release", "before", "after", "entity")
_QUALIFIER_RE = re.compile(r"([A-Za-z]+):(?=\S)")
_WORD_RE = re.compile(r'[^\s"]+')
_RELEASE_RE = re.compile(r"^(>=|<=|>|<|=)?(\d+\.\d+(?:\.\d+)?)$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SYNTAX_HELP = (
    ("io_uring", "all words must appear; kernel identifiers match exactly"),
    ('"ring buffer"', "an exact phrase"),
    ("seccomp OR landlock", "either term"),
    ("bpf -seccomp", "leave out texts that contain a word"),
    ("capab*", "words starting with a prefix (two characters or more)"),
    ("title:capabilities", "search titles only"),
    ('author:"Jake Edge"', "by an author (articles) or poster (comments)"),
    ("type:hardware", "article, merge (merge-window item), hardware or comment"),
    ('section:"Kernel development"', "an LWN section, merge-window group or device category"),
    ("release:5.8  release:>=6.1", "a kernel release, or a comparison with one"),
    ("after:2020-06-01 before:2020-06-30", "dates, both inclusive"),
    ("entity:CAP_PERFMON", "texts linked to a kernel entity"),
)


def release_key(version: str) -> int | None:
    """``"6.14"`` → 6_014_000; None for anything that is not a kernel version."""
    parts = version.strip().split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    major, minor, patch = (int(p) for p in [*parts, "0"][:3])
    return major * 1_000_000 + minor * 1_000 + patch


@dataclass(frozen=True, slots=True)
class Text:
    """Words or a quoted phrase in the default fields, or in title/author/section."""

    text: str
    field: str = "any"
    phrase: bool = False
    span: tuple[int, int] = (0, 0)  # where it was typed, for "did you mean"


@dataclass(frozen=True, slots=True)
class Prefix:
    text: str
    field: str = "any"  # any, title, author, section or entity


@dataclass(frozen=True, slots=True)
class Exact:
    field: str  # type or entity
    value: str


@dataclass(frozen=True, slots=True)
class Range:
    """A numeric release key or date range; None leaves that end open."""

    field: str  # release_key or date
    low: int | dt.date | None
    high: int | dt.date | None
    low_excl: bool = False
    high_excl: bool = False


Node = Text | Prefix | Exact | Range


@dataclass(slots=True)
class Clause:
    """Alternatives joined by OR; an excluded clause has a single alternative."""

    alternatives: list[Node]
    excluded: bool = False


@dataclass(slots=True)
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.excluded]

    @property
    def excluded(self) -> list[Clause]:
        return [c for c in self.clauses if c.excluded]


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    start: int
    end: int
    excluded: bool = False
    qualifier: str | None = None
    quoted: bool = False

    @property
    def is_or(self) -> bool:
        return self.value == "OR" and not (self.excluded or self.qualifier or self.quoted)


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos, n = 0, len(query)
    while pos < n:
        if query[pos].isspace():
            pos += 1
            continue
        start = pos
        excluded = query[pos] == "-" and pos + 1 < n and not query[pos + 1].isspace()
        pos += excluded
        qualifier = None
        if match := _QUALIFIER_RE.match(query, pos):
            name = match.group(1).lower()
            if name in QUALIFIERS:
                qualifier, pos = name, match.end()
            elif close := [q for q in QUALIFIERS if edit_distance(name, q) <= 2]:
                raise SearchError(f"Unknown qualifier “{name}:”. Did you mean {close[0]}:?")
        if pos < n and query[pos] == '"':
            end = query.find('"', pos + 1)
            if end == -1:
                raise SearchError('A quotation mark is not closed; add the closing ".')
            tokens.append(_Token(query[pos + 1 : end], start, end + 1, excluded, qualifier, True))
            pos = end + 1
            continue
        word = _WORD_RE.match(query, pos)
        end = word.end() if word else pos
        tokens.append(_Token(query[pos:end], start, end, excluded, qualifier))
        pos = max(end, pos + 1)
    return tokens


def _release(value: str) -> Range:
    match = _RELEASE_RE.match(value)
    key = release_key(match.group(2)) if match else None
    if match is None or key is None:
        raise SearchError(
            f"release: takes a kernel version such as 5.8, or a comparison such as >=6.1 "
            f"(not “{value}”)."
        )
    op = match.group(1) or "="
    if op == "=":
        return Range("release_key", key, key)
    if op.startswith(">"):
        return Range("release_key", key, None, low_excl=op == ">")
    return Range("release_key", None, key, high_excl=op == "<")


def _date(name: str, value: str) -> Range:
    try:
        if not _DATE_RE.match(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise SearchError(f"{name}: takes a date as YYYY-MM-DD, e.g. {name}:2020-06-11.") from None
    return Range("date", day, None) if name == "after" else Range("date", None, day)


def _node(token: _Token) -> Node | None:
    name, value = token.qualifier, token.value.strip()
    if name is None and token.value.endswith(":") and token.value[:-1].lower() in QUALIFIERS:
        raise SearchError(f"{token.value} needs a value right after the colon, e.g. title:bpf.")
    if not value:
        return None
    if name == "type":
        if value.lower() not in DOCUMENT_TYPES:
            raise SearchError(f"type: must be one of {', '.join(DOCUMENT_TYPES)}.")
        return Exact("type", value.lower())
    if name == "release":
        return _release(value)
    if name in ("before", "after"):
        return _date(name, value)
    if not token.quoted and value.endswith("*"):
        stem = value.rstrip("*")
        if len(stem) < MIN_PREFIX_LENGTH:
            raise SearchError(
                f"A prefix search needs at least {MIN_PREFIX_LENGTH} characters before the *."
            )
        return Prefix(stem.lower(), name or "any")
    if name == "entity":
        return Exact("entity", value.lower())
    return Text(value, name or "any", token.quoted, (token.start, token.end))


def parse_query(query: str) -> ParsedQuery:
    """Parse ``query``; raises SearchError with a friendly message when it cannot."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(f"The query is too long: keep it under {MAX_QUERY_LENGTH} characters.")
    tokens = _tokens(query)
    if len(tokens) > MAX_TERMS:
        raise SearchError(f"The query has too many terms: use at most {MAX_TERMS}.")
    parsed = ParsedQuery()
    joining = False
    for index, token in enumerate(tokens):
        if token.is_or:
            if not parsed.clauses or joining or index == len(tokens) - 1:
                raise SearchError("OR needs a term on each side, as in: seccomp OR landlock.")
            if parsed.clauses[-1].excluded:
                raise SearchError("An -exclusion cannot be part of an OR.")
            joining = True
            continue
        node = _node(token)
        if joining:
            if token.excluded:
                raise SearchError("An -exclusion cannot be part of an OR.")
            if node is not None:
                parsed.clauses[-1].alternatives.append(node)
            joining = False
        elif node is not None:
            parsed.clauses.append(Clause([node], excluded=token.excluded))
    return parsed
