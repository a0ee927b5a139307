"""What is decoded from a segment is loaded once, however many threads ask at once."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from articles.search.whoosh.internals.segment_cache import SegmentCache


@dataclass(frozen=True)
class Segment:
    name: str

    def segment_id(self) -> str:
        return self.name


@dataclass(frozen=True)
class Reader:
    name: str

    def segment(self) -> Segment:
        return Segment(self.name)


def test_it_loads_a_value_once_while_other_threads_wait_for_it() -> None:
    cache: SegmentCache[int] = SegmentCache(size=8)
    loads: list[str] = []
    start = threading.Barrier(8)

    def load() -> int:
        loads.append(threading.current_thread().name)
        time.sleep(0.05)  # long enough for every other thread to ask meanwhile
        return 42

    found: list[int] = []

    def ask() -> None:
        start.wait()
        found.append(cache.get(Reader("a"), "day", load))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [42] * 8
    assert len(loads) == 1
    assert cache.get(Reader("b"), "day", lambda: 7) == 7  # another segment: its own value
