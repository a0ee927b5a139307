"""Which path the speed layer took: the fast one over whoosh's internals, or the fallback.

Each module of the layer reads private parts of whoosh-reloaded 2.7.5 and keeps
a slower way through whoosh's public API for what it does not recognise. A whoosh
upgrade that moved those parts would not break search, only slow it, with every
result still right; counting both paths lets a test see it, and a warning (once
per path and process) lets an operator see it.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

logger = logging.getLogger("lwnkb.search")

FAST: Counter[str] = Counter()
FALLBACK: Counter[str] = Counter()
_lock = threading.Lock()


def took_fast(path: str) -> None:
    with _lock:
        FAST[path] += 1


def took_fallback(path: str, why: str) -> None:
    with _lock:
        FALLBACK[path] += 1
        first = FALLBACK[path] == 1
    if first:
        logger.warning(
            "search speed layer: %s fell back to whoosh's public API (%s); "
            "searches still work, more slowly. Has whoosh-reloaded changed?",
            path,
            why,
        )


def reset() -> None:
    """Forget the counts (tests)."""
    with _lock:
        FAST.clear()
        FALLBACK.clear()
