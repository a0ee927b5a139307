"""What the lwn.net fetcher (``articles.services.fetch.client``) returns and raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class FetchError(Exception):
    """Base class of every fetch failure; ``url`` and ``status`` (if any) say what failed."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class FetchTooLarge(FetchError):
    """The answer is larger than the fetcher's ``max_bytes`` (``LWNKB_MAX_PAGE_BYTES``).

    Counted after decompression, and the download stops there: a server (or a
    proxy) sending an endless or gzip-bombed body cannot fill memory."""


class FetchRefused(FetchError):
    """The address is not lwn.net (or the test base URL), or a redirect left lwn.net.

    Raised before any request to that address is sent."""


class FetchNotFound(FetchError):
    """LWN answered 404 (or 410): the page does not exist."""


class FetchUnavailable(FetchError):
    """LWN kept failing (timeouts, connection errors, 429 or 5xx) after every retry."""

    def __init__(
        self, message: str, *, url: str, status: int | None, reason: str, attempts: int
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.reason = reason
        self.attempts = attempts


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched page.

    ``url`` is the final address after redirects. ``status`` is the HTTP status of the
    body in ``content`` (for a 304 revalidation, the cached page's status). A
    subscriber-only result carries LWN's paywall page as ``content`` and is never cached.
    """

    url: str
    status: int
    content: bytes = field(repr=False)
    from_cache: bool
    not_modified: bool
    subscriber_only: bool
    free_on: date | None
    etag: str | None
    last_modified: str | None
