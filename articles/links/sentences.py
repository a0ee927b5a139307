"""Find the sentence around a position in plain text.

Good enough for LWN prose: a sentence ends at ``.``, ``!`` or ``?`` followed
by a space and a capital letter, digit or opening quote, and at every line
break (paragraphs, list items and code lines are separate). Dots inside
identifiers (``memory.swap.high``, ``5.8``) never end a sentence because no
space follows them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# Consuming the full stop (not looking behind for it) keeps this scan cheap on long texts.
_BOUNDARY = re.compile(r"[.!?][\"'\u201d)\]]*[ \t]+(?=[\"'\u201c(\[]?[A-Z0-9/])|\n\s*")
# Long sentences (tables flattened to text, code) are cut to a window around the match.
MAX_SENTENCE = 400


class Sentences:
    """Sentence boundaries of one text, computed on first use."""

    __slots__ = ("_ends", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def _split(self) -> list[int]:
        starts = [0]
        ends: list[int] = []
        text = self.text
        for match in _BOUNDARY.finditer(text):
            at = match.start()
            ends.append(at if text[at] == "\n" else at + 1)  # keep the full stop
            starts.append(match.end())
        ends.append(len(self.text))
        self._ends = ends
        self._starts = starts
        return starts

    def around(self, start: int, end: int) -> str:
        """The sentence holding ``text[start:end]``, clipped to ``MAX_SENTENCE`` characters."""
        starts = self._starts if self._starts is not None else self._split()
        index = max(bisect_right(starts, start) - 1, 0)
        # A match never spans a boundary, but a clipped one may end past it: extend.
        last = index
        while last + 1 < len(starts) and starts[last + 1] < end:
            last += 1
        lo, hi = starts[index], self._ends[last]
        if hi - lo <= MAX_SENTENCE:
            return self.text[lo:hi].strip()
        half = (MAX_SENTENCE - (end - start)) // 2
        cut_lo = max(lo, start - max(half, 0))
        cut_hi = min(hi, end + max(half, 0))
        prefix = "…" if cut_lo > lo else ""
        suffix = "…" if cut_hi < hi else ""
        return prefix + self.text[cut_lo:cut_hi].strip() + suffix


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``text[start:end]``."""
    return Sentences(text).around(start, end)
