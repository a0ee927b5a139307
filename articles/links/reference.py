"""The reference lists under ``data/``, loaded once per process.

Each file is plain text: one entry per line, ``#`` starts a comment. They are
facts kept in the repository so that extraction is the same everywhere and a
curator can read (and correct) what counts as a syscall or a capability.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            rows.append(fields)
    return rows


@dataclass(frozen=True, slots=True)
class Reference:
    syscalls: frozenset[str]
    # Syscalls that are also ordinary words: linked only with () or "system call" next to them.
    syscall_words: frozenset[str]
    capabilities: frozenset[str]
    # Spelling as written -> canonical project name.
    projects: dict[str, str]
    # Bare knob name -> full knob name.
    knob_aliases: dict[str, str]
    # Syscalls that count even without parentheses or context.
    plain_syscalls: frozenset[str]


@cache
def reference() -> Reference:
    """The loaded lists; raises ValueError if the files contradict each other."""
    syscalls = frozenset(row[0] for row in _lines("syscalls.txt"))
    words = frozenset(row[0] for row in _lines("syscall-words.txt"))
    if not words <= syscalls:
        raise ValueError(f"syscall-words.txt names non-syscalls: {sorted(words - syscalls)}")
    projects: dict[str, str] = {}
    for row in _lines("projects.txt"):
        for spelling in row:
            projects[spelling] = row[0]
    return Reference(
        syscalls=syscalls,
        syscall_words=words,
        capabilities=frozenset(row[0] for row in _lines("capabilities.txt")),
        projects=projects,
        knob_aliases={row[0]: row[1] for row in _lines("knob-aliases.txt")},
        plain_syscalls=syscalls - words,
    )
