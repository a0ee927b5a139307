"""Values decoded from index segments, kept while the segments are in use.

A segment never changes once written, so what is decoded from it (facet
values, document lengths) stays true for as long as the segment exists. Kept
by (segment, name), the least recently used dropped past ``size`` entries;
safe to share between threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

V = TypeVar("V")


class CachedReader(Protocol):
    """A segment reader, as far as the cache knows it: by its segment's id."""

    def segment(self) -> Any: ...  # whoosh's Segment: segment_id() names it


class SegmentCache(Generic[V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str], V] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[tuple[str, str], threading.Lock] = {}

    def get(self, reader: CachedReader, name: str, load: Callable[[], V]) -> V:
        """``name``'s value for ``reader``'s segment: cached, or ``load()``.

        One thread loads a value while the others asking for it wait: a fresh server's
        threads all ask for the same columns at once, and at full size each load is
        seconds of CPU, which every one of them spent again. An index with no documents
        has a reader with no segment: nothing to keep.
        """
        segment = reader.segment()
        if segment is None:
            return load()
        key = (str(segment.segment_id()), name)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            with self._lock:
                if key in self._entries:  # loaded while this thread waited
                    return self._entries[key]
            value = load()
            with self._lock:
                self._entries[key] = value
                self._loading.pop(key, None)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
