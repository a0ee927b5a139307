"""Does a sentence announce an entity as new?

Merge-window summaries announce additions in a few fixed shapes, and only
those count, with the entity right next to the words:

- "a new system call, faccessat2()" / "a new knob, memory.swap.high"
- "the new CAP_BPF capability" / "the new faccessat2() system call"
- "CAP_PERFMON has been added" / "CAP_PERFMON, a new capability, was merged"
- "adds the CAP_BPF capability" / "introduces a new system call, foo()"

"A new statx() flag" does not introduce statx(): "new" there belongs to
"flag", which is not the syscall's own noun.
"""

from __future__ import annotations

import re
from functools import cache

# The nouns a kind of entity is called by, as regular-expression alternatives.
KIND_NOUNS: dict[str, str] = {
    "syscall": r"system[ -]calls?|syscalls?",
    "capability": r"capabilit(?:y|ies)",
    "config": r"(?:kconfig\s+|configuration\s+|config\s+)?options?|config\s+symbols?",
    "knob": (
        r"(?:control[- ]group\s+|cgroup\s+|sysctl\s+)?"
        r"(?:knobs?|sysctls?|control\s+files?|files?|parameters?|tunables?|settings?)"
    ),
    "path": r"files?|director(?:y|ies)|interfaces?|entr(?:y|ies)",
    "project": r"subsystems?|mechanisms?|interfaces?|features?",
}
_QUOTE_OPEN = "[\"'\u201c]?"
_QUOTE_CLOSE = "[\"'\u201d]?"
_WINDOW_BEFORE = 80
_WINDOW_AFTER = 60
# Cheap pre-check: none of the shapes can match without one of these.
_HINTS = ("new", "add", "introduc", "merged")


class _Shapes:
    def __init__(self, nouns: str) -> None:
        flags = re.IGNORECASE
        self.before_new_noun = re.compile(
            rf"\bnew\s+(?:{nouns})\s*[,:(]?\s*(?:called\s+|named\s+)?{_QUOTE_OPEN}$", flags
        )
        self.before_new = re.compile(rf"\bnew\s+{_QUOTE_OPEN}$", flags)
        self.after_noun = re.compile(rf"^{_QUOTE_CLOSE}\s+(?:{nouns})\b", flags)
        self.after_end = re.compile(rf"^{_QUOTE_CLOSE}\s*(?:[,;.)]|$)")
        self.after_added = re.compile(
            rf"^{_QUOTE_CLOSE},?\s+(?:(?:an?\s+new\s+)?(?:{nouns})\s*,?\s+)?"
            r"(?:has|have|was|were)\s+(?:been\s+)?(?:added|merged|introduced)\b",
            flags,
        )
        self.before_adds = re.compile(
            r"\b(?:adds?|added|adding|introduces?|introduced|introducing)\s+"
            rf"(?:(?:a|an|the)\s+)?(?:new\s+)?(?:(?:{nouns})\s*[,:]?\s*)?{_QUOTE_OPEN}$",
            flags,
        )


@cache
def _shapes(kind: str) -> _Shapes | None:
    nouns = KIND_NOUNS.get(kind)
    return _Shapes(nouns) if nouns else None


def introduces(kind: str, text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` (an entity of ``kind``) is announced as new there."""
    shapes = _shapes(kind)
    if shapes is None:  # releases and people are never "added"
        return False
    before = text[max(0, start - _WINDOW_BEFORE) : start]
    after = text[end : end + _WINDOW_AFTER]
    window = (before + after).lower()
    if not any(hint in window for hint in _HINTS):
        return False
    if shapes.before_new_noun.search(before) or shapes.before_adds.search(before):
        return True
    if shapes.before_new.search(before) and (
        shapes.after_noun.match(after) or shapes.after_end.match(after)
    ):
        return True
    return bool(shapes.after_added.match(after))
