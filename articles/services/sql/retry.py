"""Run a transaction again when PostgreSQL aborted it to break a deadlock.

PostgreSQL resolves a deadlock by aborting one of the transactions in it, and its
documentation advises the application to retry a transaction that failed with a
deadlock or a serialization failure: nothing of it was kept, and the other
transaction has gone on. The lock order of the writers (imports, link batches) is
designed so that they do not deadlock; this is the net under that design, so that
an order nobody foresaw costs a retry and a warning in the log, not a failed import.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

# deadlock_detected, serialization_failure
_TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 3


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is a deadlock or serialization failure (the driver's error is its cause)."""
    for error in (exc, exc.__cause__):
        if getattr(error, "sqlstate", None) in _TRANSIENT_SQLSTATES:
            return True
    return False


def atomic_retried(work: Callable[[], T], *, what: str, attempts: int = ATTEMPTS) -> T:
    """``work()`` in a transaction, run again (up to ``attempts`` in all) when it deadlocks.

    Inside a caller's transaction there is no retry: the caller's locks stay held,
    so the same wait would come back, and only the caller can start over.
    """
    retry = not connection.in_atomic_block
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except DatabaseError as exc:
            if not retry or attempt == attempts or not is_transient(exc):
                raise
            logger.warning(
                "%s: %s; trying again (%d of %d)",
                what,
                " ".join(str(exc).split()),
                attempt + 1,
                attempts,
            )
            # A short random pause, so two retried transactions do not meet again in step.
            time.sleep(random.uniform(0.05, 0.2) * attempt)
    raise AssertionError("unreachable")  # pragma: no cover
