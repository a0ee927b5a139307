"""Find kernel entities in plain text: one regular-expression pass, then validation.

The rules, so that ordinary words and kernel functions are not taken for
syscalls:

- ``name()`` or ``name(args`` is a syscall only if ``name`` is in
  ``data/syscalls.txt`` (``copy_from_user()`` is not).
- A bare name is a syscall if it is in the list and is not also an ordinary
  word (``data/syscall-words.txt``): ``openat2`` and ``sendmsg`` count alone;
  ``tee``, ``splice`` or ``mount`` count only as ``tee()`` or right next to
  "system call" ("the tee system call", "system calls such as tee").
- ``CAP_*`` must be a real capability (``data/capabilities.txt``); any
  ``CONFIG_*`` is a config option.
- Releases are mainline versions 3.0 to 7.x (and 2.6.x), not stable updates
  (5.7.2), not other programs' versions ("Python 3.9"), not quantities (5.8%).
- Knobs are dotted names under a sysctl or control-group prefix
  (``vm.swappiness``, ``memory.swap.high``), plus a few bare aliases.
- Paths start with ``/proc/`` or ``/sys/``; process ids become ``pid``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from articles.links.intro import introduces
from articles.links.names import Kind, canonical
from articles.links.reference import Reference, reference
from articles.links.sentences import Sentences


@dataclass(frozen=True, slots=True)
class Span:
    """One recognised name in a text, before sentences are attached."""

    kind: Kind
    name: str  # canonical
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Found:
    """One mention of an entity in a text."""

    kind: Kind
    name: str  # canonical, as used in URLs and the database
    sentence: str
    start: int
    end: int
    introduces: bool


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_KNOB_PREFIXES = "memory|cpu|cpuset|io|pids|hugetlb|rdma|misc|cgroup|vm|kernel|net|fs"
# Host names and file names look like knobs ("kernel.org", "secrets.yaml").
_NOT_KNOB_ENDINGS = _words(
    "org com net io cc de uk fr info html htm txt yaml yml json py c h rs sh conf md rst gz xz"
    " zst tar"
)
# Words that may stand before a version without making it another program's.
_RELEASE_LEAD_OK = _words(
    "linux kernel mainline in since until before after with for the as by from of and or also"
    " only both even then now to into stable release releases at is was on than through"
    " between like see rc"
)
_RELEASE_LEAD_BAD = _words("version v gcc clang llvm glibc python rust rustc perl")
_RELEASE_UNITS = _words(
    "% percent x gb mb kb tb gib mib kib ghz mhz ms us ns s seconds times million billion inch"
    " inches mm cm w v volts hz"
)
_WORD_BEFORE = re.compile(r"([\w$€£]+)(\W*)$")
_SYSCALL_NOUN_AFTER = re.compile(r"\s+(?:system[ -]calls?|syscalls?)\b")
_WORD_AFTER = re.compile(r"\s*(%|[A-Za-z]+)")


_Trie = dict[str, "_Trie"]


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching exactly ``words``, factored by common prefixes.

    CPython's ``re`` tries alternatives one by one; a trie keeps the plain-word
    lookup to one pass over each word.
    """
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if "" in node:  # a word ends here, and longer ones go on
            return f"(?:{'|'.join(branches)})?"
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return emit(tree)


@cache
def _pattern() -> re.Pattern[str]:
    ref = reference()
    plain_words = sorted(
        {w for w in ref.plain_syscalls if not re.search(r"[\d_]", w)}
        | {w for w in ref.knob_aliases if not re.search(r"[\d_]", w)}
    )
    projects = _trie(sorted(ref.projects, key=len, reverse=True))
    # Every alternative starts a word: the leading (?<!\w) lets the engine reject the
    # positions inside words at once, which more than halves the scan time.
    return re.compile(
        r"(?<!\w)(?=[A-Za-z0-9/_])(?:"
        r"(?P<cap>\bCAP_[A-Z0-9_]*[A-Z0-9])"
        r"|(?P<config>\bCONFIG_[A-Z0-9_]*[A-Z0-9])"
        r"|(?P<path>(?<![\w/.~-])/(?:proc|sys)(?:/[\w.*<>{}\[\]$:+-]+)+)"
        rf"|(?P<knob>(?<![\w.])(?:{_KNOB_PREFIXES})(?:\.[a-z0-9_-]*[a-z0-9_])+)"
        r"|(?P<release>(?<![\w.$€£/-])(?:2\.6\.\d{1,2}|[3-7]\.\d{1,2})(?:-rc\d+)?"
        r"(?![\w%]|\.\d|,\d))"
        rf"|(?P<project>(?<![\w-])(?:{projects})(?![\w-]))"
        # name( or name followed by "system call"; not "process(es)".
        r"|(?P<call>\b[a-z_][a-z0-9_]*+)(?:\((?!e?s\))|(?=\s+(?:system[ -]calls?|syscalls?)\b))"
        r"|\b(?:system[ -]calls?|syscalls?),?\s+(?:such\s+as|like|including|named|called)\s+"
        r"(?P<listed>[a-z][a-z0-9_]*)\b"
        rf"|(?P<word>\b(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+[0-9][a-z0-9]*|{_trie(plain_words)})\b)"
        r")"
    )


def _release_ok(text: str, start: int, end: int) -> bool:
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    # A word in the previous sentence or line says nothing about this number.
    if before and not re.search(r"[\n.!?]", before.group(2)):
        word = before.group(1)
        lowered = word.lower()
        if lowered in _RELEASE_LEAD_BAD or word[0] in "$€£":
            return False
        # "Python 3.9", "Leap 15.2": a capitalised name right before is another program's.
        if word[0].isupper() and lowered not in _RELEASE_LEAD_OK:
            return False
    after = _WORD_AFTER.match(text, end, min(len(text), end + 20))
    return not (after and after.group(1).lower() in _RELEASE_UNITS)


def _classify(match: re.Match[str], text: str, ref: Reference) -> tuple[Kind, str, int] | None:
    """(kind, canonical name, end) for one regex match, or None when it is not an entity."""
    group = match.lastgroup
    value = match.group(group) if group else ""
    end = match.end(group) if group else match.end()
    if group == "cap":
        return ("capability", value, end) if value in ref.capabilities else None
    if group == "config":
        return "config", value, end
    if group in ("call", "listed"):
        # Keep "()" in the span when the call is written bare, so links cover it.
        if text.startswith("()", end):
            end += 2
        return ("syscall", value, end) if value in ref.syscalls else None
    if group == "word":
        if value in ref.knob_aliases:
            return "knob", ref.knob_aliases[value], end
        if value in ref.projects:
            return "project", ref.projects[value], end
        return ("syscall", value, end) if value in ref.plain_syscalls else None
    if group == "project":
        # "seccomp()" and "the seccomp system call" name the syscall, not the subsystem.
        if value in ref.syscalls and (
            text.startswith("(", end) or _SYSCALL_NOUN_AFTER.match(text, end)
        ):
            return "syscall", value, end + 2 if text.startswith("()", end) else end
        return "project", ref.projects[value], end
    if group == "knob":
        if value.rsplit(".", 1)[-1] in _NOT_KNOB_ENDINGS:
            return None
        return "knob", value, end
    if group == "path":
        stripped = value.rstrip(".,;:!?-")
        return "path", canonical("path", stripped), match.start(group) + len(stripped)
    if group == "release":
        if not _release_ok(text, match.start(group), end):
            return None
        return "release", canonical("release", value), end
    return None


@lru_cache(maxsize=8)  # bounded: each import may bring a new byline name
def _people_pattern(people: frozenset[str]) -> re.Pattern[str] | None:
    names = sorted((p for p in people if len(p) > 3), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


def spans(text: str, *, people: frozenset[str] = frozenset()) -> Iterator[Span]:
    """Every recognised name in ``text``, in order, without sentences (cheap)."""
    ref = reference()
    for match in _pattern().finditer(text):
        hit = _classify(match, text, ref)
        if hit is not None:
            kind, name, end = hit
            yield Span(kind, name, match.start(match.lastgroup or 0), end)
    pattern = _people_pattern(people) if people else None
    if pattern is not None:
        for match in pattern.finditer(text):
            yield Span("person", match.group(), match.start(), match.end())


def extract(text: str, *, people: Iterable[str] = ()) -> list[Found]:
    """Find the entities named in ``text``, each with its sentence.

    ``people`` lists names (from bylines) to find in the text as persons.
    Returns every occurrence in text order; callers group by ``(kind, name)``.
    ``introduces`` is set where the text announces the entity as new ("a new
    system call, faccessat2()"); only merge-window items make that count.
    """
    sentences = Sentences(text)
    found = [
        Found(
            kind=span.kind,
            name=span.name,
            sentence=sentences.around(span.start, span.end),
            start=span.start,
            end=span.end,
            introduces=introduces(span.kind, text, span.start, span.end),
        )
        for span in spans(text, people=frozenset(people))
    ]
    found.sort(key=lambda f: f.start)
    return found
