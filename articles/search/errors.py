"""The facade's named errors: what callers catch instead of whoosh's exceptions."""

from __future__ import annotations


class SearchError(ValueError):
    """The query cannot be run as typed; ``message`` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SearchUnavailable(RuntimeError):
    """The index is missing, outdated or damaged; ``lwn_reindex`` rebuilds it."""

    def __init__(self, message: str, *, reason: str = "unavailable") -> None:
        super().__init__(message)
        self.message = message
        # "missing", "outdated", "corrupt" or "disabled": for logs and for callers that
        # repair the index themselves (the index task queues a rebuild).
        self.reason = reason


class IndexBusy(RuntimeError):
    """Another writer held the index lock for longer than the bounded wait.

    Transient by design: the index tasks retry it (``autoretry_for``).
    """
