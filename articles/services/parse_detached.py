"""A page parsed in a worker process, for ``lwn_reparse --parsers`` (``services.reparse``).

``page_prepare_detached`` is ``page_prepare_limited`` on a stored page's gzipped
bytes, module-level and free of database access so a process pool can run it;
``PreparedPage`` carries its result back to the storing process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from isal import igzip

from articles.lwn import LWNParseError, ParsedPage
from articles.services.parse_limits import Deadline, page_prepare_limited


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """A page prepared in another process (``page_prepare_detached``) for ``page_import``.

    ``page`` is the sanitised page, or None when the parser refused it with ``error``;
    ``seconds`` is what parsing took, which counts against the import's time budget.
    """

    page: ParsedPage | None
    error: str
    seconds: float

    def deadline(self) -> Deadline:
        """The import's budget with the parse already spent from it."""
        deadline = Deadline.from_settings()
        deadline.started -= self.seconds
        return deadline


def page_prepare_detached(content_gz: bytes, url: str | None) -> PreparedPage:
    """``page_prepare_limited`` on a stored page's gzipped bytes, as a worker process runs it.

    Module-level and free of database access, so a process pool can run it; the
    worker's main thread takes the timer (``_parse_with_timer``).
    """
    started = time.monotonic()
    try:
        page = page_prepare_limited(
            igzip.decompress(content_gz), url=url, deadline=Deadline.from_settings()
        )
    except LWNParseError as exc:
        return PreparedPage(page=None, error=str(exc), seconds=time.monotonic() - started)
    return PreparedPage(page=page, error="", seconds=time.monotonic() - started)
