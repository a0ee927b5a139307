"""When the fetcher may send its next request: rate limit, backoff and Retry-After.

LWN blocks clients that load it too hard, so requests start at most one per
interval in the whole process, and failures back off exponentially with jitter.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx

MAX_DELAY = 60.0  # cap on Retry-After and on backoff: a failed import beats a long hang


class Limiter(Protocol):
    """What the fetcher asks before each request (``clock`` has the shared one)."""

    def wait(self, interval: float) -> float:
        """Sleep until a request may start; return the seconds slept."""
        ...


class RateLimiter:
    """Spaces the starts of requests at least ``interval`` seconds apart, across threads.

    One shared instance (:data:`SHARED_LIMITER`) serves every fetcher in the process;
    tests pass their own with a fake ``clock`` and ``sleep``.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._last: float | None = None

    def wait(self, interval: float) -> float:
        """Sleep until ``interval`` has passed since the previous request; return the delay."""
        # Sleeping while holding the lock is the point: it queues the other threads.
        with self._lock:
            now = self.clock()
            delay = 0.0 if self._last is None else max(0.0, self._last + interval - now)
            if delay > 0:
                self.sleep(delay)
            self._last = max(self.clock(), now + delay)
            return delay


SHARED_LIMITER = RateLimiter()


def backoff_delay(attempt: int, *, base: float, jitter: float) -> float:
    """``base * 2**attempt`` seconds, plus up to 50 % from ``jitter`` (0..1), capped.

    The jitter keeps workers that failed together from retrying in lockstep."""
    return min(MAX_DELAY, base * 2**attempt * (1.0 + 0.5 * jitter))


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header on 429/503 (number or HTTP date), capped."""
    value = response.headers.get("Retry-After")
    if response.status_code not in (429, 503) or not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if not math.isfinite(seconds):
        return MAX_DELAY if seconds > 0 else None
    return min(max(seconds, 0.0), MAX_DELAY)
